package org.bftlab.transport.fault;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bftlab.core.model.NodeId;

/**
 * One network fault (DESIGN.md §4), active inside its {@link Scope}. Drop-like rules (drop,
 * partition, one-way partition, isolate) remove every copy of a matched message; delay and
 * reorder add extra ticks to every copy; duplicate adds a copy. Rules are evaluated in plan order.
 */
public sealed interface NetworkRule {
  /** Where and when the rule applies. */
  Scope scope();

  /** A short name for the trace, e.g. {@code drop}. */
  String name();

  /** Drops a matched message with probability {@code probability} (1.0: always). */
  record Drop(Scope scope, double probability) implements NetworkRule {
    public Drop {
      Objects.requireNonNull(scope, "scope");
      if (probability < 0 || probability > 1) {
        throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
      }
    }

    @Override
    public String name() {
      return "drop";
    }
  }

  /** Adds {@code delay} ticks to a matched message. */
  record Delay(Scope scope, DelayDistribution delay) implements NetworkRule {
    public Delay {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(delay, "delay");
    }

    @Override
    public String name() {
      return "delay";
    }
  }

  /**
   * With probability {@code probability}, delivers a second copy {@code extraDelay} ticks after
   * the first.
   */
  record Duplicate(Scope scope, double probability, DelayDistribution extraDelay)
      implements NetworkRule {
    public Duplicate {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(extraDelay, "extraDelay");
      if (probability < 0 || probability > 1) {
        throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
      }
    }

    @Override
    public String name() {
      return "duplicate";
    }
  }

  /**
   * Reorders: each matched message waits an independent uniform extra delay in [0,
   * {@code maxTicks}] ticks, so later messages overtake earlier ones.
   */
  record Reorder(Scope scope, long maxTicks) implements NetworkRule {
    public Reorder {
      Objects.requireNonNull(scope, "scope");
      if (maxTicks < 1) {
        throw new IllegalArgumentException("reorder window must be >= 1 tick, got " + maxTicks);
      }
    }

    @Override
    public String name() {
      return "reorder";
    }
  }

  /**
   * Splits the replicas into {@code groups}: a matched message whose sender and receiver are in
   * different groups is dropped (both directions). A node in no group is in a group of its own.
   */
  record Partition(Scope scope, List<Set<NodeId>> groups) implements NetworkRule {
    public Partition {
      Objects.requireNonNull(scope, "scope");
      groups = groups.stream().map(Set::copyOf).toList();
    }

    @Override
    public String name() {
      return "partition";
    }

    /** True when {@code a} and {@code b} are on different sides. */
    public boolean separates(NodeId a, NodeId b) {
      if (a.equals(b)) {
        return false;
      }
      for (Set<NodeId> g : groups) {
        if (g.contains(a)) {
          return !g.contains(b);
        }
      }
      return true;
    }
  }

  /** Drops matched messages from any of {@code from} to any of {@code to}; the reverse flows. */
  record OneWayPartition(Scope scope, Set<NodeId> from, Set<NodeId> to) implements NetworkRule {
    public OneWayPartition {
      Objects.requireNonNull(scope, "scope");
      from = Set.copyOf(from);
      to = Set.copyOf(to);
    }

    @Override
    public String name() {
      return "one-way-partition";
    }
  }

  /** Cuts {@code node} off: every matched message to or from it (other than to itself) is dropped. */
  record Isolate(Scope scope, NodeId node) implements NetworkRule {
    public Isolate {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(node, "node");
    }

    @Override
    public String name() {
      return "isolate";
    }
  }
}
