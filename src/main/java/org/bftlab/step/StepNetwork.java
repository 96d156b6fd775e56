package org.bftlab.step;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.sim.ByzantineSender;
import org.bftlab.sim.SimKeys;

/**
 * The faults a student puts on the wire of a stepped run (OSDI'99 §2's system model): Byzantine
 * senders (the simulator's strategies through {@link ByzantineSender}: a node's core stays the
 * correct code, only what it sends lies), a partition between groups of replicas (a message sent
 * across it is lost), and held messages (delayed: they stay in flight, {@code step} passes them
 * by, a {@code deliver} sends them on). Checks every choice before it changes anything.
 */
final class StepNetwork {
  private final ProtocolParams params;
  private final SimKeys keys;
  private final long seed;
  private final Map<String, ByzantineSender> byzantine = new TreeMap<>();
  /** node label → its group's index; empty: no partition. */
  private final Map<String, Integer> groups = new TreeMap<>();
  private final Set<Long> held = new HashSet<>();

  StepNetwork(ProtocolParams params, SimKeys keys, long seed) {
    this.params = params;
    this.keys = keys;
    this.seed = seed;
  }

  /** Byzantine nodes and their strategies, e.g. {@code node-0 → equivocate}. */
  Map<String, String> byzantine() {
    Map<String, String> out = new TreeMap<>();
    byzantine.forEach((k, v) -> out.put(k, v.name()));
    return out;
  }

  /** The partition's groups, e.g. {@code [[node-0, node-1], [node-2, node-3]]}; empty if none. */
  List<List<String>> partition() {
    Map<Integer, List<String>> g = new TreeMap<>();
    groups.forEach((node, i) -> g.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
    return List.copyOf(g.values());
  }

  boolean held(long id) {
    return held.contains(id);
  }

  void hold(long id) {
    held.add(id);
  }

  void release(long id) {
    held.remove(id);
  }

  /**
   * Parses and installs {@code byzantine <node> <strategy> [node,…]}; returns the strategy's
   * name.
   */
  String makeByzantine(String arg) {
    String[] p = arg.trim().split("\\s+");
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("usage: byzantine <node> <"
          + String.join("|", ByzantineSender.STRATEGIES) + "> [variant-to node,…]");
    }
    NodeId node = node(p[0], "byzantine");
    if (byzantine.containsKey(node.toString())) {
      throw new IllegalArgumentException(node + " is already Byzantine ("
          + byzantine.get(node.toString()).name() + ")");
    }
    Set<NodeId> variantTo = new LinkedHashSet<>();
    if (p.length == 3) {
      if (!p[1].equals("equivocate")) {
        throw new IllegalArgumentException("only 'equivocate' takes the replicas that get the"
            + " variant, got '" + p[2] + "' for " + p[1]);
      }
      for (String s : p[2].split(",")) {
        variantTo.add(node(s, "byzantine"));
      }
    }
    ByzantineSender b = ByzantineSender.of(p[1], variantTo, node, params, keys, seed);
    byzantine.put(node.toString(), b);
    return b.name();
  }

  /**
   * What {@code from} sends instead of {@code m} to {@code to}: {@code m} itself unless it is
   * Byzantine.
   */
  List<ByzantineSender.Sent> outgoing(NodeId from, NodeId to, ProtocolMessage m, long now) {
    ByzantineSender b = byzantine.get(from.toString());
    return b == null ? List.of(new ByzantineSender.Sent(to, m, null)) : b.rewrite(to, m, now);
  }

  /** The strategy of {@code node}, or null if it is correct. */
  String strategyOf(String node) {
    ByzantineSender b = byzantine.get(node);
    return b == null ? null : b.name();
  }

  /**
   * Parses and installs {@code partition A|B…}: groups of replicas separated by {@code |}, each a
   * comma-separated list; the replicas not named form one more group. Replaces a partition in
   * place.
   */
  void partition(String arg) {
    Map<String, Integer> g = new TreeMap<>();
    String[] parts = arg.trim().split("\\|");
    for (int i = 0; i < parts.length; i++) {
      for (String s : parts[i].split(",")) {
        if (s.isBlank()) {
          continue;
        }
        String n = node(s.trim(), "partition").toString();
        if (g.putIfAbsent(n, i) != null) {
          throw new IllegalArgumentException(n + " is named twice in partition '" + arg + "'");
        }
      }
    }
    for (NodeId n : params.nodes()) {
      g.putIfAbsent(n.toString(), parts.length);
    }
    if (new HashSet<>(g.values()).size() < 2) {
      throw new IllegalArgumentException("partition '" + arg + "' leaves every replica in one"
          + " group: name the replicas of one side, e.g. 'partition node-0,node-1'");
    }
    groups.clear();
    groups.putAll(g);
  }

  /** Removes the partition; false if there was none. */
  boolean heal() {
    boolean had = !groups.isEmpty();
    groups.clear();
    return had;
  }

  /** Whether a message from {@code from} to {@code to} (replica labels) crosses the partition. */
  boolean cut(String from, String to) {
    Integer a = groups.get(from);
    Integer b = groups.get(to);
    return a != null && b != null && !a.equals(b);
  }

  private NodeId node(String s, String verb) {
    return node(s, verb, params.n());
  }

  /**
   * Replica {@code s} of an n-replica run, named in choice {@code verb}.
   *
   * @throws IllegalArgumentException naming the verb, for a bad name or a replica out of range
   */
  static NodeId node(String s, String verb, int n) {
    NodeId id;
    try {
      id = NodeId.parse(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + verb + "' needs a replica node-0..node-" + (n - 1)
          + ", got '" + s + "'");
    }
    if (id.index() >= n) {
      throw new IllegalArgumentException("no replica " + s + ": this run has node-0..node-"
          + (n - 1));
    }
    return id;
  }
}
