package org.bftlab.core.agreement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.ContractCheck;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.Signal;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.sim.Fingerprint;

/**
 * In-test harness: n agreement cores, each in its {@link ComponentRunner} (contract checks on),
 * wired by one deterministic FIFO queue through {@link NodeRoute#route}. Each step's persisted
 * events go to the node's journal, then its outputs are enqueued. Messages can be dropped or
 * held by rules; nodes can crash and restart from their journal.
 */
final class Cluster {
  /** One message in flight. */
  record Envelope(NodeId from, NodeId to, ProtocolMessage message) {}

  final ProtocolParams params;
  final int n;
  final AgreementCore[] cores;
  final AgreementState[] states;
  private final List<ComponentRunner<AgreementState, AgreementEvent>> runners = new ArrayList<>();
  final List<List<AgreementEvent>> journal = new ArrayList<>();
  final List<List<AgreementEvent>> trace = new ArrayList<>();
  final List<List<Signal.BatchCommitted>> delivered = new ArrayList<>();
  final List<Envelope> sent = new ArrayList<>();
  final List<Envelope> held = new ArrayList<>();
  private final Deque<Envelope> queue = new ArrayDeque<>();
  /** Signals a node's agreement sends to itself ({@link NodeRoute}: e.g. PeerInStep). */
  private record Local(int node, Signal signal) {}

  private final Deque<Local> local = new ArrayDeque<>();
  private final boolean[] down;
  Predicate<Envelope> drop = e -> false;
  Predicate<Envelope> hold = e -> false;
  Decision<AgreementEvent> last = Decision.none();

  Cluster(ProtocolParams params) {
    this.params = params;
    this.n = params.n();
    this.cores = new AgreementCore[n];
    this.states = new AgreementState[n];
    this.down = new boolean[n];
    for (int i = 0; i < n; i++) {
      NodeId id = new NodeId(i);
      cores[i] = new AgreementCore(params, id, new FakeAuth(id, n));
      journal.add(new ArrayList<>());
      runners.add(runner(i));
      states[i] = runners.get(i).state();
      trace.add(new ArrayList<>());
      delivered.add(new ArrayList<>());
    }
  }

  static ProtocolParams params(int n, int batchSize, int batchTimeoutTicks, int k, int l,
      int retransmitTicks) {
    return new ProtocolParams(FakeAuth.CLUSTER, NodeId.range(n), batchSize, batchTimeoutTicks, k,
        l, retransmitTicks, 64 * 1024);
  }

  /** Feeds {@code in} to {@code node} (nothing happens while it is down); returns its decision. */
  Decision<AgreementEvent> input(int node, Input in) {
    if (down[node]) {
      return Decision.none();
    }
    perform(node, runners.get(node).step(in));
    return last;
  }

  private ComponentRunner<AgreementState, AgreementEvent> runner(int node) {
    return new ComponentRunner<>(cores[node], journal.get(node)::addAll)
        .check(new ContractCheck<>(Fingerprint::of));
  }

  /** Delivers {@code m} to {@code node} directly, bypassing the queue. */
  Decision<AgreementEvent> receive(int node, ProtocolMessage m) {
    return input(node, new Input.Receive(m));
  }

  /** The auth of replica {@code i}, for tests that sign messages on its behalf. */
  FakeAuth auth(int i) {
    return new FakeAuth(new NodeId(i), n);
  }

  /** Messages currently in flight. */
  List<Envelope> inFlight() {
    return List.copyOf(queue);
  }

  /** Drops every message in flight. */
  void clearQueue() {
    queue.clear();
  }

  void perform(int node, Decision<AgreementEvent> d) {
    last = d;
    trace.get(node).addAll(d.events());
    NodeId from = new NodeId(node);
    NodeRoute.route(d.outputs(), NodeRoute.overLinks(from, params.nodes(),
        (to, m) -> enqueue(new Envelope(from, to, m)), (to, s) -> {
          if (to == NodeRoute.Kind.BLOCK_COMMIT && s instanceof Signal.BatchCommitted bc) {
            delivered.get(node).add(bc);
          } else if (to == NodeRoute.Kind.AGREEMENT) {
            local.add(new Local(node, s));
          }
        }));
  }

  private void enqueue(Envelope e) {
    sent.add(e);
    if (drop.test(e)) {
      return;
    }
    if (hold.test(e)) {
      held.add(e);
      return;
    }
    queue.add(e);
  }

  /** Delivers every held message (in the order held) and clears the hold rule. */
  void release() {
    hold = e -> false;
    queue.addAll(held);
    held.clear();
  }

  boolean step() {
    Local l = local.poll();
    if (l != null) {
      input(l.node(), new Input.FromSibling(l.signal()));
      return true;
    }
    Envelope e = queue.poll();
    if (e == null) {
      return false;
    }
    input(e.to().index(), new Input.Receive(e.message()));
    return true;
  }

  /** Runs until no message is in flight. */
  void run() {
    int guard = 0;
    while (step()) {
      if (++guard > 1_000_000) {
        throw new AssertionError("message storm: no quiescence after 1,000,000 deliveries");
      }
    }
  }

  void submit(int node, Request r) {
    input(node, new Input.Submit(r));
  }

  /** {@code times} rounds of: one tick at every live node, then run to quiescence. */
  void tick(int times) {
    for (int t = 0; t < times; t++) {
      for (int i = 0; i < n; i++) {
        input(i, Input.TICK);
      }
      run();
    }
  }

  void signalAll(Signal s) {
    for (int i = 0; i < n; i++) {
      input(i, new Input.FromSibling(s));
    }
    run();
  }

  void crash(int node) {
    down[node] = true;
    states[node] = null;
    queue.removeIf(e -> e.to().index() == node);
    local.removeIf(l -> l.node() == node);
  }

  /** Rebuilds the node's state from its persisted events only, then performs {@code recover}. */
  void restart(int node) {
    List<AgreementEvent> persisted = List.copyOf(journal.get(node));
    journal.get(node).clear();
    ComponentRunner<AgreementState, AgreementEvent> r = runner(node);
    journal.get(node).addAll(persisted);
    persisted.forEach(r::replay);
    runners.set(node, r);
    states[node] = r.state();
    down[node] = false;
    perform(node, r.recover());
  }

  /** seqNo → digest delivered at {@code node}, in delivery order. */
  List<Long> deliveredSeqNos(int node) {
    return delivered.get(node).stream().map(Signal.BatchCommitted::seqNo).toList();
  }

  /** Distinct deliveries (seqNo → digest), failing on two digests for one seqNo. */
  Map<Long, Digest> deliveredDigests(int node) {
    Map<Long, Digest> out = new HashMap<>();
    for (Signal.BatchCommitted bc : delivered.get(node)) {
      Digest prev = out.putIfAbsent(bc.seqNo(), bc.digest());
      if (prev != null && !prev.equals(bc.digest())) {
        throw new AssertionError(node + " delivered two digests for seqNo " + bc.seqNo());
      }
    }
    return out;
  }

  /** Every (type, view, seqNo) for which {@code node} ever sent two different digests. */
  List<String> selfEquivocations(int node) {
    Map<String, Digest> seen = new HashMap<>();
    List<String> bad = new ArrayList<>();
    for (Envelope e : sent) {
      if (!(e.message() instanceof ReplicaMessage rm) || rm.sender().index() != node) {
        continue;
      }
      String key;
      Digest d;
      if (rm instanceof PrePrepare pp) {
        key = "PP/" + pp.view() + "/" + pp.seqNo();
        d = pp.digest();
      } else if (rm instanceof Prepare p) {
        key = "P/" + p.view() + "/" + p.seqNo();
        d = p.digest();
      } else if (rm instanceof Commit c) {
        key = "C/" + c.view() + "/" + c.seqNo();
        d = c.digest();
      } else {
        continue;
      }
      Digest prev = seen.putIfAbsent(key, d);
      if (prev != null && !prev.equals(d)) {
        bad.add(key);
      }
    }
    return bad;
  }

  /** Events of {@code type} in {@code node}'s trace. */
  <T extends AgreementEvent> List<T> events(int node, Class<T> type) {
    return trace.get(node).stream().filter(type::isInstance).map(type::cast)
        .collect(Collectors.toList());
  }
}
