package org.bftlab.transport.fault;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Set;
import org.bftlab.core.model.NodeId;

/**
 * A network rule in a scenario file, named by {@code rule}. Every rule has an optional window
 * {@code from} (inclusive, default 0) .. {@code until} (exclusive, the heal; default never), in
 * ticks, and an optional {@code types} filter (e.g. {@code [PREPARE, COMMIT]}); drop, delay,
 * duplicate and reorder also filter by {@code senders} and {@code receivers}. Absent lists match
 * everything. Delays: {@code {fixed: 3}}, {@code {uniform: [0, 5]}} or
 * {@code {exponential: {mean: 2.0, cap: 10}}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "rule")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NetworkRuleSpec.Drop.class, name = "drop"),
    @JsonSubTypes.Type(value = NetworkRuleSpec.Delay.class, name = "delay"),
    @JsonSubTypes.Type(value = NetworkRuleSpec.Duplicate.class, name = "duplicate"),
    @JsonSubTypes.Type(value = NetworkRuleSpec.Reorder.class, name = "reorder"),
    @JsonSubTypes.Type(value = NetworkRuleSpec.Partition.class, name = "partition"),
    @JsonSubTypes.Type(value = NetworkRuleSpec.OneWayPartition.class, name = "one-way-partition"),
    @JsonSubTypes.Type(value = NetworkRuleSpec.Isolate.class, name = "isolate")})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface NetworkRuleSpec {
  /** The rule it describes. */
  NetworkRule toRule();

  /** Drops with {@code probability} (1.0: always). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Drop(Double probability, Long from, Long until, List<NodeId> senders,
      List<NodeId> receivers, List<String> types) implements NetworkRuleSpec {
    public Drop {
      checkProbability(probability, "probability");
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.Drop(scope(from, until, senders, receivers, types), probability);
    }
  }

  /** Adds {@code delay} ticks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Delay(DelaySpec delay, Long from, Long until, List<NodeId> senders,
      List<NodeId> receivers, List<String> types) implements NetworkRuleSpec {
    public Delay {
      if (delay == null) {
        throw new IllegalArgumentException("missing required field 'delay'");
      }
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.Delay(scope(from, until, senders, receivers, types),
          delay.toDistribution());
    }
  }

  /** With {@code probability}, a second copy {@code extraDelay} ticks later. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Duplicate(Double probability, DelaySpec extraDelay, Long from, Long until,
      List<NodeId> senders, List<NodeId> receivers, List<String> types)
      implements NetworkRuleSpec {
    public Duplicate {
      checkProbability(probability, "probability");
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.Duplicate(scope(from, until, senders, receivers, types),
          probability, extraDelay == null ? new DelayDistribution.Fixed(1)
              : extraDelay.toDistribution());
    }
  }

  /** Each message waits uniform [0, maxTicks] extra ticks. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Reorder(long maxTicks, Long from, Long until, List<NodeId> senders,
      List<NodeId> receivers, List<String> types) implements NetworkRuleSpec {
    public Reorder {
      if (maxTicks < 1) {
        throw new IllegalArgumentException("maxTicks must be >= 1, got " + maxTicks);
      }
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.Reorder(scope(from, until, senders, receivers, types), maxTicks);
    }
  }

  /** Splits the replicas into {@code groups}; a replica in no group is alone. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Partition(List<List<NodeId>> groups, Long from, Long until, List<String> types)
      implements NetworkRuleSpec {
    public Partition {
      if (groups == null || groups.isEmpty()) {
        throw new IllegalArgumentException("missing required field 'groups'");
      }
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.Partition(scope(from, until, null, null, types),
          groups.stream().map(Set::copyOf).toList());
    }
  }

  /** Drops messages from {@code fromNodes} to {@code toNodes}; the reverse flows. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record OneWayPartition(List<NodeId> fromNodes, List<NodeId> toNodes, Long from, Long until,
      List<String> types) implements NetworkRuleSpec {
    public OneWayPartition {
      if (fromNodes == null || fromNodes.isEmpty() || toNodes == null || toNodes.isEmpty()) {
        throw new IllegalArgumentException("one-way-partition needs 'fromNodes' and 'toNodes'");
      }
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.OneWayPartition(scope(from, until, null, null, types),
          Set.copyOf(fromNodes), Set.copyOf(toNodes));
    }
  }

  /** Cuts {@code node} off. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Isolate(NodeId node, Long from, Long until, List<String> types)
      implements NetworkRuleSpec {
    public Isolate {
      if (node == null) {
        throw new IllegalArgumentException("missing required field 'node'");
      }
    }

    @Override
    public NetworkRule toRule() {
      return new NetworkRule.Isolate(scope(from, until, null, null, types), node);
    }
  }

  /**
   * A delay distribution; exactly one field is set.
   *
   * @param fixed always this many ticks
   * @param uniform [min, max] ticks, both inclusive
   * @param exponential mean and cap in ticks
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DelaySpec(Long fixed, List<Long> uniform, Exponential exponential) {
    public DelaySpec {
      int set = (fixed != null ? 1 : 0) + (uniform != null ? 1 : 0)
          + (exponential != null ? 1 : 0);
      if (set != 1) {
        throw new IllegalArgumentException("a delay is exactly one of {fixed: T}, "
            + "{uniform: [MIN, MAX]}, {exponential: {mean: M, cap: C}}");
      }
      if (uniform != null && uniform.size() != 2) {
        throw new IllegalArgumentException("uniform is [MIN, MAX], got " + uniform);
      }
      distribution(fixed, uniform, exponential);
    }

    /** The distribution. */
    public DelayDistribution toDistribution() {
      return distribution(fixed, uniform, exponential);
    }

    private static DelayDistribution distribution(Long fixed, List<Long> uniform,
        Exponential exponential) {
      if (fixed != null) {
        return new DelayDistribution.Fixed(fixed);
      }
      if (uniform != null) {
        return new DelayDistribution.Uniform(uniform.get(0), uniform.get(1));
      }
      return new DelayDistribution.Exponential(exponential.mean(), exponential.cap());
    }
  }

  /** Exponential delay: mean and cap, in ticks. */
  record Exponential(double mean, long cap) {}

  private static void checkProbability(Double p, String field) {
    if (p == null) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], got " + p);
    }
  }

  private static Scope scope(Long from, Long until, List<NodeId> senders, List<NodeId> receivers,
      List<String> types) {
    return new Scope(senders == null ? Set.of() : Set.copyOf(senders),
        receivers == null ? Set.of() : Set.copyOf(receivers),
        types == null ? Set.of() : Set.copyOf(types), from == null ? 0 : from,
        until == null ? Long.MAX_VALUE : until);
  }
}
