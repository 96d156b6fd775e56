package org.bftlab.sim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.byzantine.ByzantineStrategy;
import org.bftlab.transport.byzantine.Outgoing;
import org.bftlab.transport.byzantine.SendContext;

/**
 * The Byzantine part of a run: one strategy and one seeded generator per Byzantine node (its own
 * stream, {@code seed ^ salt ^ node}, so runs without Byzantine nodes draw exactly as before),
 * and the routing of twins. Instances have a side: originals and non-twinned replicas on side A,
 * twin instances and the non-twinned replicas named in a twin's {@code peers} on side B. A
 * message to a twinned identity reaches the instance on the sender's side; to a non-twinned
 * replica it always arrives, unless some twin is {@code exclusive} and the replica is on the
 * other side.
 */
final class Adversary {
  private static final long SALT = 0xB12A_7E5EL;

  private record Rewriter(ByzantineSpec spec, ByzantineStrategy strategy, SplittableRandom rnd) {}

  private final ProtocolParams params;
  private final SimKeys keys;
  private final Map<NodeId, Rewriter> rewriters = new HashMap<>();
  private final Map<NodeId, SimNode> twins = new HashMap<>();
  private final Set<NodeId> sideB = new HashSet<>();
  private boolean exclusive;

  /** @param twin makes the second instance of a twinned node */
  Adversary(long seed, ProtocolParams params, SimKeys keys, List<ByzantineNode> byzantine,
      java.util.function.Function<NodeId, SimNode> twin) {
    this.params = params;
    this.keys = keys;
    for (ByzantineNode b : byzantine) {
      if (b.node().index() >= params.n()) {
        throw new IllegalArgumentException(b.node() + " is not a replica of this " + params.n()
            + "-node cluster");
      }
      rewriters.put(b.node(), new Rewriter(b.spec(), b.spec().strategy(),
          new SplittableRandom(seed ^ SALT ^ (0x9E3779B97F4A7C15L * (b.node().index() + 1)))));
      if (b.spec() instanceof ByzantineSpec.Twin t) {
        twins.put(b.node(), twin.apply(b.node()));
        sideB.addAll(t.peers());
        exclusive |= t.exclusive();
      }
    }
    sideB.removeAll(twins.keySet());
  }

  /** The twin instances, in node order. */
  List<SimNode> twinInstances() {
    return twins.values().stream().sorted((a, b) -> a.id.compareTo(b.id)).toList();
  }

  /** Whether {@code id} is Byzantine. */
  boolean isByzantine(NodeId id) {
    return rewriters.containsKey(id);
  }

  /** Whether some node has a strategy that rewrites (a twin's instances send unchanged). */
  boolean rewrites(SimNode from) {
    Rewriter r = rewriters.get(from.id);
    return r != null && !(r.spec() instanceof ByzantineSpec.Twin);
  }

  /** What {@code from} actually sends instead of {@code m} to {@code to} at tick {@code now}. */
  List<Outgoing> rewrite(SimNode from, NodeId to, ProtocolMessage m, long now) {
    Rewriter r = rewriters.get(from.id);
    return r.strategy().rewrite(to, m, new SendContext(from.id, params.clusterId(),
        params.nodes(), now, r.rnd(), keys.replica(from.id)));
  }

  /** The name of {@code from}'s strategy, for the trace. */
  String strategyName(SimNode from) {
    return rewriters.get(from.id).spec().name();
  }

  private boolean onSideB(SimNode n) {
    return n.twin || (!twins.containsKey(n.id) && sideB.contains(n.id));
  }

  /**
   * The instance a message from {@code from} to identity {@code to} reaches, or null when the
   * twins' partition drops it. {@code originals} are the side-A instances by index.
   */
  SimNode route(SimNode from, NodeId to, SimNode[] originals) {
    SimNode dest = originals[to.index()];
    if (twins.isEmpty() || to.equals(from.id)) {
      return to.equals(from.id) ? from : dest;
    }
    boolean b = onSideB(from);
    SimNode twin = twins.get(to);
    if (twin != null) {
      return b ? twin : dest;
    }
    return exclusive && onSideB(dest) != b ? null : dest;
  }
}
