package org.bftlab.sim;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.byzantine.ByzantineStrategy;
import org.bftlab.transport.byzantine.SendContext;

/**
 * One Byzantine node's outgoing messages, rewritten by the simulator's strategies ({@link
 * org.bftlab.transport.byzantine}) for a host that steps messages one at a time (the students'
 * stepper) and must not depend on the transport package: strategies are named as in scenario
 * files and their results come back as plain {@link Sent} records. Deterministic: the strategy's
 * generator is seeded from the run's seed and the node, as {@link Adversary} seeds it.
 */
public final class ByzantineSender {
  private static final long SALT = 0xB12A_7E5EL;

  /** Strategies a stepped run can apply: silent, equivocate, forge-signature. */
  public static final List<String> STRATEGIES = List.of("silent", "equivocate", "forge-signature");

  /**
   * One message actually sent.
   *
   * @param to destination
   * @param message what is sent (the original or a forgery)
   * @param note what the strategy did, null when unchanged
   */
  public record Sent(NodeId to, ProtocolMessage message, String note) {}

  private final String name;
  private final ByzantineStrategy strategy;
  private final NodeId self;
  private final ProtocolParams params;
  private final SimKeys keys;
  private final SplittableRandom rnd;

  private ByzantineSender(String name, ByzantineSpec spec, NodeId self, ProtocolParams params,
      SimKeys keys, long seed) {
    this.name = name;
    this.strategy = spec.strategy();
    this.self = self;
    this.params = params;
    this.keys = keys;
    this.rnd = new SplittableRandom(seed ^ SALT ^ (0x9E3779B97F4A7C15L * (self.index() + 1)));
  }

  /**
   * The strategy {@code name} for {@code self}.
   *
   * @param variantTo for {@code equivocate}: the replicas that get the variant PRE-PREPARE (empty:
   *     the upper half of the others); ignored otherwise
   * @throws IllegalArgumentException for a name not in {@link #STRATEGIES}
   */
  public static ByzantineSender of(String name, Set<NodeId> variantTo, NodeId self,
      ProtocolParams params, SimKeys keys, long seed) {
    ByzantineSpec spec = switch (name) {
      case "silent" -> new ByzantineSpec.Silent();
      case "equivocate" -> new ByzantineSpec.Equivocate(variantTo);
      case "forge-signature" -> new ByzantineSpec.ForgeSignature(1.0);
      default -> throw new IllegalArgumentException("unknown Byzantine strategy '" + name
          + "': expected one of " + String.join(", ", STRATEGIES));
    };
    return new ByzantineSender(name, spec, self, params, keys, seed);
  }

  /** The strategy's name, e.g. {@code equivocate}; the trace rule is {@code byzantine:<name>}. */
  public String name() {
    return name;
  }

  /** What the node sends instead of {@code m} to {@code to} at tick {@code now} (maybe nothing). */
  public List<Sent> rewrite(NodeId to, ProtocolMessage m, long now) {
    return strategy.rewrite(to, m, new SendContext(self, params.clusterId(), params.nodes(), now,
        rnd, keys.replica(self))).stream()
        .map(o -> new Sent(o.to(), o.message(), o.note())).toList();
  }
}
