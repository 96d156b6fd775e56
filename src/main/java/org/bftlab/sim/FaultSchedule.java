package org.bftlab.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bftlab.core.model.NodeId;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.fault.FaultPlan;

/**
 * Everything that goes wrong in one simulated run: network rules, process/storage faults and
 * Byzantine nodes.
 *
 * @param network the network rules (virtual time windows in ticks)
 * @param process process and storage faults, each at its tick
 * @param byzantine nodes whose outgoing messages a strategy rewrites, or that have a twin, for
 *     the whole run (at most one entry per node)
 */
public record FaultSchedule(FaultPlan network, List<ProcessFault> process,
    List<ByzantineNode> byzantine) {
  /** No faults. */
  public static final FaultSchedule NONE = new FaultSchedule(FaultPlan.NONE, List.of());

  public FaultSchedule {
    process = List.copyOf(process);
    byzantine = List.copyOf(byzantine);
    if (byzantine.stream().map(ByzantineNode::node).distinct().count() < byzantine.size()) {
      throw new IllegalArgumentException("at most one Byzantine strategy per node: " + byzantine);
    }
  }

  /** Network rules and process faults, no Byzantine node. */
  public FaultSchedule(FaultPlan network, List<ProcessFault> process) {
    this(network, process, List.of());
  }

  /** Only network rules. */
  public static FaultSchedule of(FaultPlan network) {
    return new FaultSchedule(network, List.of());
  }

  /** Only process faults. */
  public static FaultSchedule of(ProcessFault... process) {
    return new FaultSchedule(FaultPlan.NONE, List.of(process));
  }

  /** This schedule plus {@code more} process faults. */
  public FaultSchedule with(ProcessFault... more) {
    List<ProcessFault> all = new ArrayList<>(process);
    all.addAll(List.of(more));
    return new FaultSchedule(network, all, byzantine);
  }

  /** This schedule plus {@code more} Byzantine nodes. */
  public FaultSchedule withByzantine(ByzantineNode... more) {
    List<ByzantineNode> all = new ArrayList<>(byzantine);
    all.addAll(List.of(more));
    return new FaultSchedule(network, process, all);
  }

  /** The same schedule with the network rules {@code plan}. */
  public FaultSchedule withNetwork(FaultPlan plan) {
    return new FaultSchedule(plan, process, byzantine);
  }

  /** The last tick at which anything is scheduled to change (a fault or a heal); 0 if none. */
  public long lastChange() {
    long t = network.lastHeal().orElse(0);
    for (ProcessFault f : process) {
      t = Math.max(t, f instanceof ProcessFault.Pause p ? p.until() : f.at());
    }
    return t;
  }

  /**
   * Nodes that count toward f as scheduled (the verdict's {@link
   * org.bftlab.sim.check.FaultModel} reads the same rule from the trace): Byzantine nodes; nodes
   * hit by amnesia, truncation or corruption; nodes whose last crash is not followed by a
   * restart. A crash followed by a restart from an intact journal, and a pause, are not faults
   * (Castro &amp; Liskov OSDI'99 §2: a correct replica may crash and recover from stable storage).
   */
  public Set<NodeId> faultyNodes() {
    Set<NodeId> s = new TreeSet<>();
    byzantine.forEach(b -> s.add(b.node()));
    Map<NodeId, Long> lastCrash = new HashMap<>();
    Map<NodeId, Long> lastRestart = new HashMap<>();
    for (ProcessFault f : process) {
      if (f instanceof ProcessFault.Crash) {
        lastCrash.merge(f.node(), f.at(), Math::max);
      } else if (f instanceof ProcessFault.Restart) {
        lastRestart.merge(f.node(), f.at(), Math::max);
      } else if (!(f instanceof ProcessFault.Pause)) {
        s.add(f.node());
      }
    }
    lastCrash.forEach((node, at) -> {
      if (lastRestart.getOrDefault(node, -1L) < at) {
        s.add(node);
      }
    });
    return s;
  }
}
