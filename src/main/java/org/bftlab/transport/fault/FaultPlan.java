package org.bftlab.transport.fault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import org.bftlab.codec.BftlabJacksonModule;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * A list of {@link NetworkRule}s and the pure decision they make for one message. Used both by
 * the simulator's virtual network and by {@link FaultyTransport} on a live cluster.
 *
 * <p>{@link #decide} evaluates the rules in order. A message to the sender itself is never
 * touched (it does not cross the network). The first drop-like rule that matches (and, for
 * {@link NetworkRule.Drop}, whose coin comes up) drops it; delay and reorder rules add their
 * sample to every copy; duplicate adds a copy. Random draws are taken only for rules that
 * match, in rule order, so the same (plan, messages, seed) always gives the same fates.
 *
 * @param rules the rules, in evaluation order
 */
public record FaultPlan(List<NetworkRule> rules) {
  /** No faults. */
  public static final FaultPlan NONE = new FaultPlan(List.of());

  public FaultPlan {
    rules = List.copyOf(rules);
  }

  private static final ObjectReader RULES_JSON = JsonMapper.builder()
      .addModule(new BftlabJacksonModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build()
      .readerFor(new TypeReference<List<NetworkRuleSpec>>() {});

  /**
   * The plan of a JSON array of network rules in the scenario files' format (as the admin API
   * takes them), e.g. {@code [{"rule":"drop","probability":1.0,"types":["COMMIT"],"until":500}]};
   * optional fields may be absent, unknown ones are refused; {@code []} is {@link #NONE}.
   *
   * @throws IllegalArgumentException when the text is not such an array or a rule is invalid
   */
  public static FaultPlan fromJson(String rules) {
    try {
      List<NetworkRuleSpec> specs = RULES_JSON.readValue(rules);
      return new FaultPlan(specs.stream().map(NetworkRuleSpec::toRule).toList());
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A plan of {@code rules}. */
  public static FaultPlan of(NetworkRule... rules) {
    return new FaultPlan(List.of(rules));
  }

  /** This plan followed by {@code more}. */
  public FaultPlan with(NetworkRule... more) {
    List<NetworkRule> all = new ArrayList<>(rules);
    all.addAll(List.of(more));
    return new FaultPlan(all);
  }

  /**
   * The fate of {@code message} sent by {@code from} to {@code to} at tick {@code now}.
   *
   * @param random the caller's seeded generator; consumed only by matching rules
   */
  public Fate decide(long now, NodeId from, NodeId to, ProtocolMessage message,
      RandomGenerator random) {
    return decide(now, from, to, message.type(), random);
  }

  /** As {@link #decide(long, NodeId, NodeId, ProtocolMessage, RandomGenerator)}, by type name. */
  public Fate decide(long now, NodeId from, NodeId to, String type, RandomGenerator random) {
    if (rules.isEmpty() || from.equals(to)) {
      return Fate.DELIVER;
    }
    List<Long> copies = new ArrayList<>(List.of(0L));
    String touched = null;
    for (NetworkRule rule : rules) {
      if (!rule.scope().matches(now, from, to, type)) {
        continue;
      }
      if (rule instanceof NetworkRule.Drop d) {
        if (d.probability() >= 1.0 || random.nextDouble() < d.probability()) {
          return Fate.dropped(d.name());
        }
      } else if (rule instanceof NetworkRule.Partition p) {
        if (p.separates(from, to)) {
          return Fate.dropped(p.name());
        }
      } else if (rule instanceof NetworkRule.OneWayPartition o) {
        if (o.from().contains(from) && o.to().contains(to)) {
          return Fate.dropped(o.name());
        }
      } else if (rule instanceof NetworkRule.Isolate i) {
        if (i.node().equals(from) || i.node().equals(to)) {
          return Fate.dropped(i.name());
        }
      } else if (rule instanceof NetworkRule.Delay d) {
        long extra = d.delay().sample(random);
        copies.replaceAll(c -> c + extra);
        touched = touched == null ? d.name() : touched;
      } else if (rule instanceof NetworkRule.Reorder r) {
        long extra = random.nextLong(r.maxTicks() + 1);
        copies.replaceAll(c -> c + extra);
        touched = touched == null ? r.name() : touched;
      } else if (rule instanceof NetworkRule.Duplicate d) {
        if (random.nextDouble() < d.probability()) {
          copies.add(copies.get(copies.size() - 1) + d.extraDelay().sample(random));
          touched = touched == null ? d.name() : touched;
        }
      }
    }
    return touched == null && copies.size() == 1 && copies.get(0) == 0 ? Fate.DELIVER
        : new Fate(copies, touched);
  }

  /**
   * The last finite heal time of any rule (its {@code untilTick}), if any rule has one; rules
   * that never heal are ignored.
   */
  public OptionalLong lastHeal() {
    return rules.stream().mapToLong(r -> r.scope().untilTick())
        .filter(t -> t != Long.MAX_VALUE).max();
  }
}
