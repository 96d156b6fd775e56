package org.bftlab.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.NodeRunner;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent.Kind;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.byzantine.Outgoing;
import org.bftlab.transport.fault.Fate;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.workload.Workload;

/**
 * The engine: one thread, virtual time in ticks, a priority queue ordered by (tick, class,
 * insertion number) so the order of everything is a function of the seed. Each tick runs, in
 * order: faults and heals due, deliveries due, one {@code Input.TICK} per ticked component of
 * every running node (node order), whatever those produced for the same tick (self-sends, sibling
 * signals: latency 0, as a mailbox), then the clients. Network sends go through the schedule's
 * {@link org.bftlab.transport.fault.FaultPlan} and arrive after latency + jitter + rule delay.
 */
final class Simulator {
  private static final int CONTROL = 0;
  private static final int DELIVERY = 1;

  private record Item(long tick, int cls, long seq, Runnable action) {}

  /** In a RESTART line: the component started from a snapshot (a compacted journal). */
  static final String COMPACTED = "compacted";

  private final SimConfig cfg;
  private final ProtocolParams params;
  private final SimKeys keys;
  private final SimNode[] nodes;
  /** Every running instance: the nodes in index order, then twin instances. */
  private final List<SimNode> instances = new ArrayList<>();
  private final Adversary adversary;
  private final Trace trace = new Trace();
  private final PriorityQueue<Item> queue = new PriorityQueue<>(
      Comparator.comparingLong(Item::tick).thenComparingInt(Item::cls)
          .thenComparingLong(Item::seq));
  private final SplittableRandom net;
  private final ClientDriver clients;
  private long seq;
  private long now;
  private final boolean sendBeforePersist;

  Simulator(SimConfig cfg) {
    this(cfg, Set.of());
  }

  /** With {@code bugs} planted in every node: negative controls only (see {@link PlantedBug}). */
  Simulator(SimConfig cfg, Set<PlantedBug> bugs) {
    this.cfg = cfg;
    this.sendBeforePersist = bugs.contains(PlantedBug.SEND_BEFORE_PERSIST);
    this.params = cfg.params();
    SplittableRandom root = new SplittableRandom(cfg.seed());
    this.net = root.split();
    SplittableRandom clientRnd = root.split();
    List<ClientId> clientIds = new ArrayList<>();
    for (int c = 0; c < cfg.clients(); c++) {
      clientIds.add(new ClientId("client-" + c));
    }
    this.keys = new SimKeys(cfg.seed(), params.n(), clientIds, cfg.scheme());
    this.nodes = new SimNode[params.n()];
    java.util.function.Function<Object, Object> fingerprint =
        cfg.checkContracts() ? Fingerprint::of : null;
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new SimNode(params, new NodeId(i), keys.replica(new NodeId(i)), false, bugs,
          cfg.snapshotEvery(), fingerprint);
      instances.add(nodes[i]);
    }
    this.adversary = new Adversary(cfg.seed(), params, keys, cfg.faults().byzantine(),
        id -> new SimNode(params, id, keys.replica(id), true, Set.of(), cfg.snapshotEvery(),
            fingerprint));
    instances.addAll(adversary.twinInstances());
    for (SimNode n : instances) {
      n.byzantine = adversary.isByzantine(n.id);
    }
    Workload w = cfg.conflictPairs() > 0
        ? Workload.generateWithConflicts(cfg.seed(), clientIds, cfg.transactions(),
            cfg.conflictPairs())
        : Workload.generate(cfg.seed(), clientIds, cfg.transactions());
    this.clients = new ClientDriver(w, keys, params.clusterId(), params.nodes(), params.f(), 1,
        cfg.clientSpacingTicks(), cfg.clientRetryTicks(), clientRnd, this::submit);
  }

  SimKeys keys() {
    return keys;
  }

  /** Runs to completion and returns the trace. */
  Trace run() {
    trace.add(0, Kind.RUN, null, null, null, null, null, new RunInfo(cfg.seed(), params.n(),
        params.f(), params.clusterId(), cfg.scheme().name(), cfg.transactions(),
        clients.distinctTransactions(),        cfg.livenessBoundTicks()));
    for (NetworkRule r : cfg.faults().network().rules()) {
      trace.add(0, Kind.RULE, null, null, r.name(), null, null, r);
      if (r.scope().untilTick() != Long.MAX_VALUE) {
        at(r.scope().untilTick(), CONTROL, () -> trace.add(now, Kind.HEAL, null, null, r.name(),
            null, null, null));
      }
    }
    for (ByzantineNode b : cfg.faults().byzantine()) {
      String twin = b.spec() instanceof ByzantineSpec.Twin ? b.node() + "'" : null;
      trace.add(0, Kind.RULE, b.node().toString(), null, b.label(), twin,
          twin == null ? "outgoing messages rewritten for the whole run"
              : "second instance " + twin + " with the same key", b);
    }
    for (ProcessFault f : cfg.faults().process()) {
      at(f.at(), CONTROL, () -> new FaultInjector(this).apply(f));
    }
    for (SimNode n : instances) {
      start(n, true);
    }
    long quiet = cfg.faults().lastChange() + cfg.settleTicks();
    for (now = 0; now <= cfg.maxTicks(); now++) {
      drain();
      for (SimNode n : instances) {
        if (n.up && !n.paused) {
          for (NodeRoute.Kind k : NodeRoute.Kind.values()) {
            if (cfg.ticked().contains(k)) {
              step(n, k, Input.TICK);
            }
          }
        }
      }
      drain();
      clients.onTick(now);
      drain();
      if (clients.allCommitted() && now >= quiet) {
        break;
      }
      if (sendBeforePersist) {
        // the journal writes of this tick complete at the next one, after its faults
        at(now + 1, CONTROL, this::flushAll);
      }
    }
    trace.add(Math.min(now, cfg.maxTicks()), Kind.END, null, null, null, null,
        clients.committedCount() + "/" + clients.distinctTransactions() + " committed", null);
    return trace;
  }

  // ---- process state, used by FaultInjector -----------------------------------------------------

  SimNode node(NodeId id) {
    return nodes[id.index()];
  }

  long now() {
    return now;
  }

  Trace trace() {
    return trace;
  }

  /** Starts (or restarts) {@code n}: verify journals, replay, recover. False if refused. */
  boolean start(SimNode n, boolean initial) {
    for (SimComponent<?, ?> c : n.components.values()) {
      OptionalInt bad = c.journal.verify();
      if (bad.isPresent()) {
        n.refused = true;
        trace.add(now, Kind.JOURNAL_CORRUPT, n.label, SimComponent.name(c.kind), null,
            null, "journal corrupt at event #" + bad.getAsInt() + "; node refuses to start", null);
        return false;
      }
    }
    StringBuilder replayed = new StringBuilder();
    for (SimComponent<?, ?> c : n.components.values()) {
      replayed.append(replayed.length() == 0 ? "" : ", ").append(SimComponent.name(c.kind))
          .append('=').append(c.start());
      if (c.journal.compacted()) {
        replayed.append(" (" + COMPACTED + " at event ").append(c.journal.seqNr()).append(')');
      }
    }
    n.up = true;
    n.refused = false;
    n.runner = new NodeRunner(n.id, n.component(NodeRoute.Kind.ELECTION).runner(),
        n.component(NodeRoute.Kind.AGREEMENT).runner(),
        n.component(NodeRoute.Kind.BLOCK_COMMIT).runner(), router(n))
        .observe((kind, in, d) -> stepped(n, kind, d));
    if (!initial) {
      trace.add(now, Kind.RESTART, n.label, null, null, null, "replayed " + replayed,
          null);
    }
    n.runner.recover();
    return true;
  }

  /** Crash: state and in-flight sibling signals lost. */
  void crash(SimNode n) {
    n.up = false;
    n.paused = false;
    n.held.clear();
    n.epoch++;
    n.runner = null;
    n.components.values().forEach(SimComponent::stop);
  }

  void resume(SimNode n) {
    n.paused = false;
    List<Runnable> held = new ArrayList<>(n.held);
    n.held.clear();
    held.forEach(Runnable::run);
  }

  // ---- stepping components ----------------------------------------------------------------------

  private void step(SimNode n, NodeRoute.Kind kind, Input in) {
    n.runner.input(kind, in);
  }

  /** Where {@code n}'s outputs go: the network (its Byzantine strategy first), its siblings. */
  private NodeRoute.Router router(SimNode n) {
    return NodeRoute.overLinks(n.id, params.nodes(), (to, m) -> send(n, to, m),
        (to, s) -> signal(n, to, s));
  }

  /** Traces a step's events in order (durable ones once journaled), before its outputs. */
  private void stepped(SimNode n, NodeRoute.Kind kind, Decision<? extends Event> d) {
    for (Event e : d.events()) {
      if (e instanceof Event.Volatile) {
        applied(n, kind, e);
      } else if (!sendBeforePersist) {
        persisted(n, kind, e);
      }
    }
  }

  private void flushAll() {
    for (SimNode n : nodes) {
      if (n.up) {
        n.components.values().forEach(c -> flush(n, c));
      }
    }
  }

  private <S, E extends Event> void flush(SimNode n, SimComponent<S, E> c) {
    c.flush(e -> persisted(n, c.kind, e));
  }

  private void persisted(SimNode n, NodeRoute.Kind kind, Event e) {
    trace.add(now, Kind.PERSISTED, n.label, SimComponent.name(kind),
        e.getClass().getSimpleName(), null, null, e);
    if (e instanceof BlockCommitted bc && !n.byzantine) {
      for (String txId : clients.onExecuted(n.id, bc, now)) {
        trace.add(now, Kind.CLIENT_COMMITTED, n.id.toString(), null, "REPLY", null, txId, null);
      }
    }
  }

  private void applied(SimNode n, NodeRoute.Kind kind, Event e) {
    if (e instanceof AgreementEvent.Ticked || e instanceof AgreementEvent.RequestQueued
        || e instanceof AgreementEvent.BatchesDelivered) {
      return; // too frequent to be worth a line
    }
    trace.add(now, Kind.VOLATILE, n.label, SimComponent.name(kind),
        e.getClass().getSimpleName(), null, null, e);
  }

  private void signal(SimNode n, NodeRoute.Kind k, Signal s) {
    long epoch = n.epoch;
    at(now, DELIVERY, () -> whenRunning(n, epoch, () -> {
      trace.add(now, Kind.SIGNAL, n.label, SimComponent.name(k),
          s.getClass().getSimpleName(), null, null, s);
      step(n, k, new Input.FromSibling(s));
    }, "signal " + s.getClass().getSimpleName()));
  }

  // ---- network ---------------------------------------------------------------------------------

  /** A send by {@code node}'s core: through its Byzantine strategy, if any, then the network. */
  private void send(SimNode node, NodeId to, ProtocolMessage m) {
    if (to.equals(node.id) || !adversary.rewrites(node)) {
      transmit(node, to, m, null);
      return;
    }
    List<Outgoing> out = adversary.rewrite(node, to, m, now);
    if (out.isEmpty()) {
      trace.add(now, Kind.DROP, to.toString(), null, m.type(), node.label,
          "byzantine " + adversary.strategyName(node) + ": not sent", m);
    }
    for (Outgoing o : out) {
      if (o.delayTicks() == 0) {
        transmit(node, o.to(), o.message(), o.note());
      } else {
        at(now + o.delayTicks(), DELIVERY, () -> transmit(node, o.to(), o.message(), o.note()));
      }
    }
  }

  private void transmit(SimNode node, NodeId to, ProtocolMessage m, String note) {
    NodeId from = node.id;
    Fate fate = from.equals(to) ? Fate.DELIVER
        : cfg.faults().network().decide(now, from, to, m, net);
    String why = note == null ? "" : " (byzantine " + adversary.strategyName(node) + ": " + note
        + ")";
    if (fate.dropped()) {
      trace.add(now, Kind.DROP, to.toString(), null, m.type(), node.label,
          "rule " + fate.rule() + why, m);
      return;
    }
    SimNode dest = adversary.route(node, to, nodes);
    if (dest == null) {
      trace.add(now, Kind.DROP, to.toString(), null, m.type(), node.label,
          "rule twins-partition" + why, m);
      return;
    }
    for (long extra : fate.copies()) {
      long arrive = now + (from.equals(to) ? 0 : latency()) + extra;
      trace.add(now, Kind.SEND, node.label, null, m.type(), dest.label,
          "at " + arrive + (fate.rule() == null ? "" : " (" + fate.rule() + ")") + why, m);
      long epoch = dest.epoch;
      at(arrive, DELIVERY, () -> deliver(dest, node.label, m, from.equals(to) ? epoch : -1));
    }
  }

  private void deliver(SimNode dest, String from, ProtocolMessage m, long epoch) {
    whenRunning(dest, epoch < 0 ? dest.epoch : epoch, () -> {
      NodeRoute.Kind k = NodeRoute.forMessage(m);
      trace.add(now, Kind.DELIVER, dest.label, SimComponent.name(k), m.type(), from,
          null, m);
      step(dest, k, new Input.Receive(m));
    }, m.type() + " from " + from);
  }

  private void submit(NodeId to, Request r) {
    trace.add(now, Kind.SUBMIT, to.toString(), null, r.type(), r.client().value(), r.txId(), r);
    SimNode dest = nodes[to.index()];
    at(now + latency(), DELIVERY, () -> whenRunning(dest, dest.epoch, () -> {
      trace.add(now, Kind.DELIVER, dest.id.toString(), "agreement", r.type(),
          r.client().value(), "submit", r);
      step(dest, NodeRoute.Kind.AGREEMENT, new Input.Submit(r));
    }, "REQUEST from " + r.client().value()));
  }

  /** Runs {@code action} if {@code n} is up in {@code epoch}; holds it while paused, else drops. */
  private void whenRunning(SimNode n, long epoch, Runnable action, String what) {
    if (!n.up || n.epoch != epoch) {
      trace.add(now, Kind.DROP, n.label, null, null, null, what + ": node is down", null);
    } else if (n.paused) {
      if (n.keepWhilePaused) {
        n.held.add(action);
      } else {
        trace.add(now, Kind.DROP, n.label, null, null, null, what + ": node is paused",
            null);
      }
    } else {
      action.run();
    }
  }

  private long latency() {
    return cfg.latencyTicks() + (cfg.jitterTicks() == 0 ? 0 : net.nextInt(cfg.jitterTicks() + 1));
  }

  void at(long tick, int cls, Runnable action) {
    queue.add(new Item(Math.max(tick, now), cls, seq++, action));
  }

  void control(long tick, Runnable action) {
    at(tick, CONTROL, action);
  }

  private void drain() {
    while (!queue.isEmpty() && queue.peek().tick() <= now) {
      queue.poll().action().run();
    }
  }
}
