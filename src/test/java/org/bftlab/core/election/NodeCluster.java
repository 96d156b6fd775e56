package org.bftlab.core.election;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.bftlab.core.Component;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.ContractCheck;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.NodeRoute.Kind;
import org.bftlab.core.NodeRunner;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.sim.Fingerprint;

/**
 * In-test harness: n nodes, each a {@link NodeRunner} of the three components (election,
 * agreement, block commit; contract checks on), over one deterministic FIFO queue that carries
 * network messages and sibling signals alike. Each step's persisted events go to the component's
 * journal, then its outputs are enqueued. Messages can be dropped by a rule; nodes can crash
 * (they receive and send nothing) and restart from their journals only.
 */
final class NodeCluster {
  /** One message in flight between replicas. */
  record Envelope(NodeId from, NodeId to, ProtocolMessage message) {}

  private sealed interface Item {}

  private record Net(Envelope e) implements Item {}

  private record Local(int node, Kind to, Signal signal) implements Item {}

  /** One component of one node: its journal (kept across crashes) and its runner. */
  static final class Part<S, E extends Event> {
    final Component<S, E> core;
    ComponentRunner<S, E> runner;
    S state;
    final List<E> journal = new ArrayList<>();
    final List<E> trace = new ArrayList<>();

    Part(Component<S, E> core) {
      this.core = core;
      start();
    }

    /** A fresh runner rebuilt from the journal only. */
    ComponentRunner<S, E> start() {
      runner = new ComponentRunner<>(core, journal::addAll)
          .check(new ContractCheck<>(Fingerprint::of));
      List<E> persisted = List.copyOf(journal);
      journal.clear();
      persisted.forEach(runner::replay);
      journal.addAll(persisted);
      state = runner.state();
      return runner;
    }

    /** A restart: a fresh runner rebuilt from the journal, then {@code recover()}; its step. */
    Decision<E> restart() {
      start();
      return runner.recover();
    }

    /** Steps this component alone (outputs not routed); for tests of one component. */
    Decision<E> step(Input in) {
      Decision<E> d = runner.step(in);
      trace.addAll(d.events());
      return d;
    }

    /**
     * Garbage collection as the shell's snapshot does it: keep only the retained events. A
     * snapshot follows a write, which carries the events of quiet steps, hence the flush.
     */
    int compact() {
      runner.flush();
      int before = journal.size();
      List<E> kept = runner.compact();
      journal.clear();
      journal.addAll(kept);
      return before - journal.size();
    }
  }

  final ProtocolParams params;
  final int n;
  final List<Part<ElectionState, ElectionEvent>> election = new ArrayList<>();
  final List<Part<AgreementState, org.bftlab.core.agreement.AgreementEvent>> agreement =
      new ArrayList<>();
  final List<Part<BlockCommitState, org.bftlab.core.ledger.BlockCommitEvent>> ledger =
      new ArrayList<>();
  final List<List<Signal.BatchCommitted>> delivered = new ArrayList<>();
  final List<Envelope> sent = new ArrayList<>();
  private final List<NodeRunner> nodes = new ArrayList<>();
  private final Deque<Item> queue = new ArrayDeque<>();
  private final boolean[] down;
  Predicate<Envelope> drop = e -> false;
  long ticks;
  /** Told of every delivery and every step's durable events (interaction scripts). */
  java.util.function.Consumer<String> log = line -> {};

  NodeCluster(ProtocolParams params, long timeoutTicks) {
    this.params = params;
    this.n = params.n();
    this.down = new boolean[n];
    for (int i = 0; i < n; i++) {
      NodeId id = new NodeId(i);
      FakeAuth auth = new FakeAuth(id, n);
      election.add(new Part<>(new ElectionCore(params, id, auth, timeoutTicks)));
      agreement.add(new Part<>(new AgreementCore(params, id, auth)));
      ledger.add(new Part<>(new BlockCommitCore(params, id, auth)));
      delivered.add(new ArrayList<>());
      nodes.add(node(i));
    }
  }

  /** Node {@code i}'s components as they run now, routed into the queue. */
  private NodeRunner node(int i) {
    NodeId self = new NodeId(i);
    NodeRoute.Router router = NodeRoute.overLinks(self, params.nodes(),
        (to, m) -> enqueue(new Envelope(self, to, m)), (to, s) -> {
          if (s instanceof Signal.BatchCommitted bc && to == Kind.BLOCK_COMMIT) {
            delivered.get(i).add(bc);
          }
          queue.add(new Local(i, to, s));
        });
    return new NodeRunner(self, election.get(i).runner, agreement.get(i).runner,
        ledger.get(i).runner, router).observe((kind, in, d) -> trace(i, kind, d));
  }

  @SuppressWarnings("unchecked")
  private void trace(int i, Kind kind, Decision<? extends Event> d) {
    Part<?, ?> part = switch (kind) {
      case ELECTION -> election.get(i);
      case AGREEMENT -> agreement.get(i);
      case BLOCK_COMMIT -> ledger.get(i);
    };
    ((List<Event>) part.trace).addAll(d.events());
    List<String> durable = d.events().stream().filter(e -> !(e instanceof Event.Volatile))
        .map(e -> e.getClass().getSimpleName()).toList();
    if (!durable.isEmpty()) {
      log.accept("  node-" + i + " " + kind.name().toLowerCase().replace('_', '-') + ": "
          + String.join(", ", durable));
    }
  }

  /** batchSize 1, batch timeout 1 tick, K, L, retransmitTicks. */
  static ProtocolParams params(int n, int k, int l, int retransmitTicks) {
    return new ProtocolParams(FakeAuth.CLUSTER, NodeId.range(n), 1, 1, k, l, retransmitTicks,
        64 * 1024);
  }

  FakeAuth auth(int i) {
    return new FakeAuth(new NodeId(i), n);
  }

  ElectionState es(int i) {
    return election.get(i).state;
  }

  AgreementState as(int i) {
    return agreement.get(i).state;
  }

  BlockCommitState ls(int i) {
    return ledger.get(i).state;
  }

  boolean isDown(int i) {
    return down[i];
  }

  // ---- driving --------------------------------------------------------------------------------

  /** Feeds {@code in} to one component of {@code node} (nothing while it is down). */
  void input(int node, Kind kind, Input in) {
    if (down[node]) {
      return;
    }
    nodes.get(node).input(kind, in);
  }

  /** A client submits {@code r} at {@code node}'s gateway. */
  void submit(int node, Request r) {
    input(node, Kind.AGREEMENT, new Input.Submit(r));
  }

  /** A client that broadcasts {@code r} to every live node (its retransmission, §4.1). */
  void broadcast(Request r) {
    for (int i = 0; i < n; i++) {
      submit(i, r);
    }
  }

  /** Delivers {@code m} to the component of {@code node} that owns it. */
  void receive(int node, ProtocolMessage m) {
    input(node, NodeRoute.forMessage(m), new Input.Receive(m));
  }

  boolean step() {
    Item item = queue.poll();
    if (item == null) {
      return false;
    }
    if (item instanceof Net net) {
      log.accept(net.e().from() + " -> " + net.e().to() + " " + net.e().message());
      receive(net.e().to().index(), net.e().message());
    } else if (item instanceof Local l) {
      log.accept("node-" + l.node() + " signal " + l.signal().getClass().getSimpleName() + " -> "
          + l.to().name().toLowerCase().replace('_', '-'));
      input(l.node(), l.to(), new Input.FromSibling(l.signal()));
    }
    return true;
  }

  /** Runs until nothing is in flight. */
  void run() {
    int guard = 0;
    while (step()) {
      if (++guard > 2_000_000) {
        throw new AssertionError("message storm: no quiescence after 2,000,000 deliveries");
      }
    }
  }

  /** {@code times} rounds of: one tick at election and agreement of every live node, then run. */
  void tick(int times) {
    for (int t = 0; t < times; t++) {
      ticks++;
      for (int i = 0; i < n; i++) {
        input(i, Kind.ELECTION, Input.TICK);
        input(i, Kind.AGREEMENT, Input.TICK);
        input(i, Kind.BLOCK_COMMIT, Input.TICK);
      }
      run();
    }
  }

  /** Ticks until {@code done} holds; returns the ticks it took. */
  long tickUntil(BooleanSupplier done, int maxTicks) {
    long start = ticks;
    run();
    while (!done.getAsBoolean()) {
      if (ticks - start >= maxTicks) {
        throw new AssertionError("not done after " + maxTicks + " ticks");
      }
      tick(1);
    }
    return ticks - start;
  }

  void crash(int node) {
    down[node] = true;
    queue.removeIf(it -> it instanceof Net net ? net.e().to().index() == node
        : ((Local) it).node() == node);
  }

  /** Compacts every component journal of {@code node}; returns how many events were dropped. */
  int compact(int node) {
    return election.get(node).compact() + agreement.get(node).compact()
        + ledger.get(node).compact();
  }

  /** Rebuilds every component of {@code node} from its journal only, then runs recover. */
  void restart(int node) {
    down[node] = false;
    ledger.get(node).start();
    agreement.get(node).start();
    election.get(node).start();
    NodeRunner r = node(node);
    nodes.set(node, r);
    r.recover(Kind.BLOCK_COMMIT);
    r.recover(Kind.AGREEMENT);
    r.recover(Kind.ELECTION);
  }

  private void enqueue(Envelope e) {
    sent.add(e);
    if (down[e.from().index()] || drop.test(e)) {
      return;
    }
    queue.add(new Net(e));
  }

  // ---- observations ---------------------------------------------------------------------------

  /** seqNo → digest delivered at {@code node}, failing on two digests for one seqNo. */
  Map<Long, Digest> deliveredDigests(int node) {
    Map<Long, Digest> out = new HashMap<>();
    for (Signal.BatchCommitted bc : delivered.get(node)) {
      Digest prev = out.putIfAbsent(bc.seqNo(), bc.digest());
      if (prev != null && !prev.equals(bc.digest())) {
        throw new AssertionError("node-" + node + " delivered two digests for seqNo " + bc.seqNo());
      }
    }
    return out;
  }

  /** True when every live node executed {@code r} (it is in a block at every live node). */
  boolean executedEverywhere(Request r) {
    for (int i = 0; i < n; i++) {
      if (!down[i] && !ls(i).hasTx(r.txId())) {
        return false;
      }
    }
    return true;
  }

  /** Every VIEW-CHANGE {@code node} ever sent, in order. */
  List<ViewChange> viewChangesSentBy(int node) {
    return sent.stream().filter(e -> e.from().index() == node)
        .map(Envelope::message).filter(ViewChange.class::isInstance).map(ViewChange.class::cast)
        .distinct().collect(Collectors.toList());
  }

  /** Events of {@code type} in the election trace of {@code node}. */
  <T extends ElectionEvent> List<T> events(int node, Class<T> type) {
    return election.get(node).trace.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Every sent replica message of {@code type}. */
  <T extends ReplicaMessage> List<T> sentOf(Class<T> type) {
    return sent.stream().map(Envelope::message).filter(type::isInstance).map(type::cast)
        .distinct().toList();
  }

}
