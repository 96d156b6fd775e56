package org.bftlab.step;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.quorum.Quorums;
import org.bftlab.sim.ByzantineSender;
import org.bftlab.sim.SimKeys;
import org.bftlab.trace.Mark;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent.Kind;
import org.bftlab.workload.Workload;

/**
 * The live state of a stepped run: n real replicas and one client on virtual time, and the
 * messages in flight between them. Every network message (and every REPLY to the client) waits
 * in the in-flight set under a stable id until a {@link Choice} delivers, drops or duplicates
 * it; sibling signals and a replica's messages to itself are handled at once, as a mailbox
 * would. {@link #apply} checks a choice completely before it changes anything, so a refused
 * choice (unknown id, crashed node …) leaves the run as it was. Deterministic: the same config
 * and choices give the same {@link #trace()} byte for byte. Not thread-safe.
 */
final class StepWorld {
  private static final ClientId CLIENT = new ClientId("client-0");
  /** Most election ticks {@code timer} feeds a replica before giving up. */
  private static final int MAX_TIMER_TICKS = 1 << 12;

  private final StepConfig cfg;
  private final ProtocolParams params;
  final Quorums q;
  private final Narrator narrator;
  private final StepReplica[] replicas;
  private final List<Request> requests = new ArrayList<>();
  private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
  private final Deque<Runnable> mailbox = new ArrayDeque<>();
  final Trace trace = new Trace();
  private final List<Narration> narration = new ArrayList<>();
  private final List<Arrow> arrows = new ArrayList<>();
  final List<Mark> marks = new ArrayList<>();
  private final SimKeys keys;
  final StepNetwork net;
  private final StepFaults faults = new StepFaults(this);
  /** txId → replicas whose REPLY reached the client. */
  private final Map<String, Set<String>> replies = new HashMap<>();
  private final Set<String> completed = new LinkedHashSet<>();
  private int sent;
  private long nextId = 1;
  long now;
  private int step;
  /** The step being applied (0 while the run starts). */
  int applying;
  private long clientView;

  /**
   * One sentence of narration.
   *
   * @param step the step (number of choices applied) it belongs to
   * @param text the sentence
   */
  public record Narration(int step, String text) {}

  StepWorld(StepConfig cfg) {
    this.cfg = cfg;
    this.params = cfg.params();
    this.q = new Quorums(cfg.n());
    this.narrator = new Narrator(q);
    this.keys = new SimKeys(cfg.seed(), cfg.n(), List.of(CLIENT), cfg.scheme());
    this.net = new StepNetwork(params, keys, cfg.seed());
    int tx = Math.max(cfg.requests(), Workload.minimumTransactions(1));
    Workload w = Workload.generate(cfg.seed(), List.of(CLIENT), tx);
    for (Workload.Step s : w.steps().subList(0, cfg.requests())) {
      long timestamp = s.replayOf() >= 0 ? s.replayOf() + 1L : s.index() + 1L;
      requests.add(Request.sign(params.clusterId(), CLIENT, timestamp, s.contract(),
          s.operation(), s.args(), keys.clientSigner(CLIENT)));
    }
    replicas = new StepReplica[cfg.n()];
    trace.add(0, Kind.RUN, null, null, cfg.name(), null, null, new RunInfo(cfg.seed(), cfg.n(),
        q.f(), params.clusterId(), cfg.scheme().name(), cfg.requests(), cfg.requests(), 0));
    for (int i = 0; i < replicas.length; i++) {
      NodeId id = new NodeId(i);
      replicas[i] = new StepReplica(params, id, keys.replica(id));
      start(replicas[i]);
    }
    // boot: the replicas' start-up STATUS exchange (how each learns f+1 peers are in step, which
    // arms its view-change timer) is delivered at once, before the student's run begins
    for (int i = 0; i < 10_000 && !inFlight.isEmpty(); i++) {
      deliver(inFlight.firstEntry().getValue());
      drain();
    }
    narration.clear();
    arrows.clear();
    marks.clear();
    nextId = 1;
    say("the " + cfg.n() + " replicas start in view 0 (primary node-0) and exchange STATUS;"
        + " n = 3f+1 = " + cfg.n() + " tolerates f = " + q.f() + " faulty — OSDI'99 §2");
    applyDue(0);
    say("The client sends REQUEST ⟨o, t, c⟩ to the primary node-0 — OSDI'99 §4.1");
    sendRequest("primary");
    drain();
  }

  // ---- read side -------------------------------------------------------------------------------

  StepConfig config() {
    return cfg;
  }

  Quorums quorums() {
    return q;
  }

  /** Choices applied so far. */
  int step() {
    return step;
  }

  long now() {
    return now;
  }

  Trace trace() {
    return trace;
  }

  List<Narration> narration() {
    return List.copyOf(narration);
  }

  List<Arrow> arrows() {
    return List.copyOf(arrows);
  }

  List<Mark> marks() {
    return List.copyOf(marks);
  }

  /** Verify-only keys of the replicas and the client, for the checkers. */
  org.bftlab.core.msg.Authenticator verifier() {
    return keys.verifier();
  }

  /** Whether {@code m} carries a valid signature of its sender (client or replica). */
  boolean signatureValid(InFlight m) {
    if (m.message() instanceof Request r) {
      return r.verify(keys.verifier());
    }
    if (m.message() instanceof org.bftlab.core.msg.ReplicaMessage rm) {
      return rm.verify(params.clusterId(), keys.verifier());
    }
    return true;
  }

  List<InFlight> inFlight() {
    return List.copyOf(inFlight.values());
  }

  /** Requests the client has seen f+1 matching REPLYs for, in order. */
  List<String> completed() {
    return List.copyOf(completed);
  }

  /** Requests sent so far / available. */
  int requestsSent() {
    return sent;
  }

  List<ReplicaView> replicas() {
    List<ReplicaView> out = new ArrayList<>();
    for (StepReplica r : replicas) {
      out.add(r.up() ? ReplicaView.of(r, q, cfg.n()) : ReplicaView.crashed(r.label));
    }
    return out;
  }

  ReplicaView replica(String node) {
    return replicas().get(replica(node, "show").id.index());
  }

  StepNetwork network() {
    return net;
  }

  /** What {@code step} does now: deliver the oldest message in flight not held, or a tick. */
  Choice nextDefault() {
    return inFlight.keySet().stream().filter(id -> !net.held(id)).findFirst()
        .map(id -> new Choice("deliver", Long.toString(id))).orElse(new Choice("tick", ""));
  }

  // ---- interventions ---------------------------------------------------------------------------

  /** Applies {@code c}; throws IllegalArgumentException (nothing changed) if it cannot. */
  void apply(Choice c) {
    applying = step + 1;
    perform(c);
    drain();
    step++;
  }

  /**
   * The scenario's faults due at tick {@code t}, in order; one that cannot be applied now (a
   * restart of a running replica …) is told in the narration and the trace, never skipped
   * silently.
   */
  private void applyDue(long t) {
    for (StepConfig.Fault f : cfg.faults()) {
      if (f.tick() != t) {
        continue;
      }
      try {
        say("the scenario schedules '" + f.choice() + "' at tick " + t + ":");
        perform(f.choice());
        drain();
      } catch (IllegalArgumentException e) {
        trace.add(now, Kind.RULE, null, null, "refused", null, f + ": " + e.getMessage(), null);
        say("the scenario's '" + f.choice() + "' at tick " + t + " cannot be applied: "
            + e.getMessage());
      }
    }
  }

  private void perform(Choice c) {
    switch (c.verb()) {
      case "deliver" -> deliver(message(c));
      case "drop" -> {
        InFlight m = message(c);
        inFlight.remove(m.id());
        net.release(m.id());
        arrows.add(new Arrow(m, applying, "dropped"));
        trace.add(now, Kind.DROP, m.to(), null, m.type(), m.from(), "#" + m.id()
            + " dropped by the student", m.message());
        say("#" + m.id() + " " + m.label() + " is lost: PBFT assumes only that a message sent"
            + " again and again is eventually delivered — OSDI'99 §2");
      }
      case "dup" -> {
        InFlight m = message(c);
        InFlight copy = new InFlight(nextId++, m.from(), m.to(), m.type(), m.view(), m.seqNo(),
            m.message(), m.reply(), applying);
        inFlight.put(copy.id(), copy);
        trace.add(now, Kind.SEND, m.from(), null, m.type(), m.to(), "#" + copy.id()
            + " duplicate of #" + m.id(), m.message());
        say("#" + copy.id() + " is a duplicate of #" + m.id() + ": a replica must accept each"
            + " vote once — OSDI'99 §4.2");
      }
      case "tick" -> {
        now++;
        applyDue(now);
        for (StepReplica r : replicas) {
          if (r.up()) {
            for (NodeRoute.Kind k : NodeRoute.Kind.values()) {
              r.runner.tick(k);
              drain();
            }
          }
        }
      }
      case "hold" -> {
        InFlight m = message(c);
        if (net.held(m.id())) {
          throw new IllegalArgumentException("#" + m.id() + " is already held");
        }
        net.hold(m.id());
        say("#" + m.id() + " " + m.label() + " is delayed: it stays in flight until delivered;"
            + " the network is asynchronous, with no bound on delay — OSDI'99 §2");
      }
      case "timer" -> fireTimer(replica(c.arg(), "timer"));
      case "crash", "restart", "amnesia", "byzantine", "partition", "heal" ->
          faults.perform(c);
      case "request" -> {
        checkRequestTarget(c.arg());
        sendRequest(c.arg());
      }
      default -> throw new IllegalArgumentException("unknown choice " + c);
    }
  }

  private InFlight message(Choice c) {
    InFlight m = inFlight.get(c.messageId());
    if (m == null) {
      throw new IllegalArgumentException("no message #" + c.arg() + " in flight (in flight: "
          + (inFlight.isEmpty() ? "none" : inFlight.keySet()) + ")");
    }
    return m;
  }

  StepReplica replica(String node, String verb) {
    return replicas[StepNetwork.node(node, verb, cfg.n()).index()];
  }

  private void deliver(InFlight m) {
    inFlight.remove(m.id());
    net.release(m.id());
    StepReplica dest = m.reply() != null ? null : replicas[NodeId.parse(m.to()).index()];
    arrows.add(new Arrow(m, applying, dest != null && !dest.up() ? "lost" : "delivered"));
    if (m.reply() != null) {
      trace.add(now, Kind.DELIVER, "client", null, "REPLY", m.from(), m.reply(), null);
      Set<String> from = replies.computeIfAbsent(m.reply(), k -> new LinkedHashSet<>());
      from.add(m.from());
      clientView = Math.max(clientView, m.view());
      if (from.size() == q.weak() && completed.add(m.reply())) {
        trace.add(now, Kind.CLIENT_COMMITTED, "client", null, "REPLY", null, m.reply(), null);
        say("the client holds f+1 = " + q.weak() + " matching REPLYs: its request is complete"
            + " — OSDI'99 §4.1");
      } else if (completed.contains(m.reply())) {
        say("the client receives " + m.from() + "'s REPLY; the request is already complete");
      } else {
        say("the client receives " + m.from() + "'s REPLY (" + from.size() + " of f+1 = "
            + q.weak() + ") — OSDI'99 §4.1");
      }
      return;
    }
    StepReplica r = replicas[NodeId.parse(m.to()).index()];
    if (!r.up()) {
      trace.add(now, Kind.DROP, m.to(), null, m.type(), m.from(), "#" + m.id()
          + ": node is down", m.message());
      say("#" + m.id() + " " + m.label() + " reaches a crashed replica and is lost");
      return;
    }
    NodeRoute.Kind k = NodeRoute.forMessage(m.message());
    trace.add(now, Kind.DELIVER, m.to(), k.name().toLowerCase(java.util.Locale.ROOT),
        m.type(), m.from(), "#" + m.id(), m.message());
    if (m.message() instanceof Request req && m.from().equals("client")) {
      r.runner.submit(req);
    } else {
      r.runner.deliver(m.message());
    }
  }

  private void fireTimer(StepReplica r) {
    if (!r.up()) {
      throw new IllegalArgumentException(r.label + " is crashed; restart it first");
    }
    if (!r.election().timerRunning()) {
      throw new IllegalArgumentException(r.label + "'s view-change timer is not running ("
          + (r.election().awaitingPeers() ? "it waits to hear f+1 peers after a restart"
              : "it waits for no request; send one with 'request all'") + ")");
    }
    for (int i = 0; i < MAX_TIMER_TICKS && r.up() && r.election().timerRunning(); i++) {
      long deadline = r.election().timerDeadline();
      Decision<? extends Event> d = r.runner.tick(NodeRoute.Kind.ELECTION);
      drain();
      if (d.events().stream().anyMatch(e -> e instanceof ElectionEvent.TimerExpired)
          || r.election().now() > deadline) {
        return;
      }
    }
  }

  private void checkRequestTarget(String target) {
    if (!target.equals("primary") && !target.equals("all") && !target.equals("retry")) {
      replica(target, "request");
    }
    if (target.equals("retry")) {
      if (sent == 0 || completed.contains(requests.get(sent - 1).txId())) {
        throw new IllegalArgumentException("no request to retry: the last one is complete");
      }
    } else if (sent >= requests.size()) {
      throw new IllegalArgumentException("the client has sent all " + requests.size()
          + " requests of this run");
    }
  }

  /** New request to primary / all / node-i, or {@code retry}: the last one again, to all. */
  private void sendRequest(String target) {
    Request r = target.equals("retry") ? requests.get(sent - 1) : requests.get(sent++);
    List<String> to = new ArrayList<>();
    if (target.equals("primary")) {
      to.add("node-" + (clientView % cfg.n()));
    } else if (target.equals("all") || target.equals("retry")) {
      for (StepReplica x : replicas) {
        to.add(x.label);
      }
    } else {
      to.add(NodeId.parse(target).toString());
    }
    for (String dest : to) {
      InFlight m = InFlight.of(nextId++, "client", dest, r, applying);
      inFlight.put(m.id(), m);
      trace.add(now, Kind.SUBMIT, dest, null, r.type(), "client", r.txId(), r);
    }
    if (to.size() > 1) {
      say("the client multicasts its REQUEST to every replica (it timed out on the primary, or"
          + " suspects it) — OSDI'99 §4.1");
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------

  void start(StepReplica r) {
    r.start(router(r), (kind, in, d) -> stepped(r, kind, d)).recover();
  }

  private NodeRoute.Router router(StepReplica r) {
    return new NodeRoute.Router() {
      @Override
      public void send(NodeId to, ProtocolMessage m) {
        if (to.equals(r.id)) {
          NodeRunnerRef self = new NodeRunnerRef(r);
          mailbox.add(() -> self.ifSame(() -> r.runner.deliver(m)));
        } else {
          wire(r.label, to.toString(), m);
        }
      }

      @Override
      public void multicast(ProtocolMessage m) {
        for (NodeId to : params.nodes()) {
          if (!to.equals(r.id)) {
            wire(r.label, to.toString(), m);
          }
        }
      }

      @Override
      public void signal(NodeRoute.Kind to, Signal s) {
        NodeRunnerRef self = new NodeRunnerRef(r);
        mailbox.add(() -> self.ifSame(() -> {
          trace.add(now, Kind.SIGNAL, r.label, to.name().toLowerCase(java.util.Locale.ROOT),
              s.getClass().getSimpleName(), null, null, s);
          r.runner.signal(to, s);
        }));
      }

      @Override
      public void executed(Output.Executed e) {
        for (TxRecord tx : e.executed()) {
          if (tx.client().equals(CLIENT)) {
            InFlight m = new InFlight(nextId++, r.label, "client", "REPLY", e.view(),
                tx.blockHeight(), null, tx.txId(), applying);
            inFlight.put(m.id(), m);
            trace.add(now, Kind.SEND, r.label, null, "REPLY", "client", "#" + m.id() + " "
                + tx.txId() + " " + tx.code(), null);
          }
        }
      }
    };
  }

  /** Runs a mailbox entry only if the replica is still the incarnation that queued it. */
  private record NodeRunnerRef(StepReplica r, Object incarnation) {
    NodeRunnerRef(StepReplica r) {
      this(r, r.runner);
    }

    void ifSame(Runnable action) {
      if (r.runner != null && r.runner == incarnation) {
        action.run();
      }
    }
  }

  /** A send on the network: through the sender's Byzantine strategy, then the partition. */
  private void wire(String from, String to, ProtocolMessage m) {
    List<ByzantineSender.Sent> out = net.outgoing(NodeId.parse(from), NodeId.parse(to), m, now);
    String strategy = net.strategyOf(from);
    if (out.isEmpty()) {
      trace.add(now, Kind.DROP, to, null, m.type(), from, "byzantine " + strategy
          + ": not sent", m);
    }
    for (ByzantineSender.Sent s : out) {
      String why = s.note() == null ? "" : " (byzantine " + strategy + ": " + s.note() + ")";
      InFlight f = InFlight.of(nextId++, from, s.to().toString(), s.message(), applying);
      if (net.cut(from, f.to())) {
        arrows.add(new Arrow(f, applying, "cut"));
        trace.add(now, Kind.DROP, f.to(), null, f.type(), from, "#" + f.id()
            + " rule partition" + why, s.message());
        continue;
      }
      inFlight.put(f.id(), f);
      trace.add(now, Kind.SEND, from, null, f.type(), f.to(), "#" + f.id() + why, s.message());
      if (s.note() != null) {
        say("#" + f.id() + " from Byzantine " + from + ": " + s.note());
      }
    }
  }

  private void drain() {
    while (!mailbox.isEmpty()) {
      mailbox.poll().run();
    }
  }

  private void stepped(StepReplica r, NodeRoute.Kind kind, Decision<? extends Event> d) {
    String comp = kind.name().toLowerCase(java.util.Locale.ROOT);
    for (Event e : d.events()) {
      boolean vol = e instanceof Event.Volatile;
      if (!vol || worthTracing(e)) {
        trace.add(now, vol ? Kind.VOLATILE : Kind.PERSISTED, r.label, comp,
            e.getClass().getSimpleName(), null, null, e);
      }
      mark(r.label, e);
      String s = narrator.narrate(r.label, e);
      if (s != null) {
        say(s);
      }
    }
  }

  private void mark(String node, Event e) {
    Mark m = Mark.of(applying, node, e);
    if (m != null) {
      marks.add(m);
    }
  }

  private static boolean worthTracing(Event e) {
    return !(e instanceof AgreementEvent.Ticked || e instanceof ElectionEvent.Ticked
        || e instanceof BlockCommitEvent.Ticked || e instanceof AgreementEvent.RequestQueued
        || e instanceof AgreementEvent.BatchesDelivered);
  }

  void say(String text) {
    narration.add(new Narration(applying, text));
  }
}
