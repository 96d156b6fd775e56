package org.bftlab.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bftlab.core.Event;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.quorum.Quorums;
import org.bftlab.trace.LiveTail;
import org.bftlab.trace.Mark;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * What {@code bftlab demo --ui} shows of a live cluster, folded from its nodes' trace lines
 * ({@link LiveTail}) in wall-clock order: per replica its view and role, chain height and head,
 * last stable checkpoint and its latest {@value #SLOTS} log slots (phase, PREPARE / COMMIT votes
 * seen against 2f and 2f+1); the Lamport diagram's arrows (one per delivered message, matched to
 * its send; STATUS heartbeats left out) and marks ({@link Mark}), and one sentence of narration
 * per mark. Each trace line is one step. Only the latest {@value #MAX_ARROWS} arrows and the
 * marks and narration since are kept, so a long run stays small. The JSON is the stepper's shape
 * ({@link ReplicaView} replicas, arrows, marks, narration) with {@code "live": true}. Not
 * thread-safe.
 */
final class LiveState {
  static final int MAX_ARROWS = 240;
  static final int SLOTS = 4;
  private static final int MAX_NARRATION = 60;
  private static final int MAX_FIELDS_CHARS = 1500;

  private final ObjectMapper mapper;
  private final Map<String, Replica> replicas = new HashMap<>();
  private final Deque<ObjectNode> arrows = new ArrayDeque<>();
  private final Deque<Mark> marks = new ArrayDeque<>();
  private final Deque<ObjectNode> narration = new ArrayDeque<>();
  private final Map<String, Deque<Integer>> sends = new HashMap<>();
  private int n;
  private String clusterId = "";
  private int step;
  private int arrowIds;
  private long firstTime = -1;
  private long lastTime;

  LiveState(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  private static final class Replica {
    final String node;
    boolean up = true;
    long view;
    long changingTo = -1;
    long height;
    String head = "";
    long stable;
    final TreeMap<Long, Slot> slots = new TreeMap<>();

    Replica(String node) {
      this.node = node;
    }

    Slot slot(long seqNo, long view) {
      Slot s = slots.computeIfAbsent(seqNo, k -> new Slot(view));
      if (s.view < view) {
        slots.put(seqNo, s = new Slot(view));
      }
      while (slots.size() > SLOTS) {
        slots.pollFirstEntry();
      }
      return s;
    }
  }

  private static final class Slot {
    final long view;
    String phase = "votes";
    String digest = "";
    final Set<String> prepares = new HashSet<>();
    final Set<String> commits = new HashSet<>();

    Slot(long view) {
      this.view = view;
    }
  }

  /** Folds one line in: it becomes step {@code step + 1}. */
  void add(LiveTail.Line line) {
    var e = line.event();
    if (e.node() == null) {
      return;
    }
    step++;
    if (firstTime < 0) {
      firstTime = line.time();
    }
    lastTime = Math.max(lastTime, line.time());
    Replica r = replica(e.node());
    if (e.is(Kind.RUN) && e.data() instanceof RunInfo run) {
      n = Math.max(n, run.n());
      clusterId = run.clusterId();
      for (int i = 0; i < run.n(); i++) {
        replica("node-" + i);
      }
      r.up = true;
    } else if (e.is(Kind.RESTART)) {
      r.up = true;
      mark(new Mark(step, r.node, "restart", -1, -1), r.node + " restarted from its journal");
    } else if (e.is(Kind.END)) {
      r.up = false;
      say(r.node + " stopped");
    } else if (e.is(Kind.SEND) && !"STATUS".equals(e.name())) {
      Deque<Integer> q = sends.computeIfAbsent(key(e.node(), lane(e.peer()), e.name(),
          line.data()), k -> new ArrayDeque<>());
      q.addLast(step);
      if (q.size() > 64) {
        q.pollFirst();
      }
    } else if (e.is(Kind.DELIVER) && !"STATUS".equals(e.name())) {
      delivered(r, line);
    } else if ((e.is(Kind.PERSISTED) || e.is(Kind.VOLATILE)) && e.data() instanceof Event ev) {
      applied(r, ev);
    }
  }

  private void delivered(Replica r, LiveTail.Line line) {
    var e = line.event();
    String from = lane(e.peer());
    JsonNode d = line.data();
    Deque<Integer> q = sends.get(key(from, r.node, e.name(), d));
    Integer sent = q == null ? null : q.pollFirst();
    ObjectNode a = mapper.createObjectNode();
    long view = view(d);
    long seqNo = seqNo(d);
    a.put("id", ++arrowIds).put("from", from).put("to", r.node).put("type", e.name())
        .put("view", view).put("seqNo", seqNo).put("sentStep", sent == null ? step : sent)
        .put("doneStep", step).put("fate", "delivered")
        .put("label", e.name() + " " + from + "→" + r.node);
    if (d != null) {
      String text = d.toString();
      if (text.length() <= MAX_FIELDS_CHARS) {
        a.set("fields", d);
      } else {
        a.putObject("fields").put("note", text.length() + " characters, not shown live");
      }
    }
    arrows.addLast(a);
    while (arrows.size() > MAX_ARROWS) {
      arrows.pollFirst();
    }
    int oldest = arrows.peekFirst().get("sentStep").asInt();
    while (!marks.isEmpty() && marks.peekFirst().step() < oldest) {
      marks.pollFirst();
    }
    if (e.data() instanceof Prepare p) {
      r.slot(p.seqNo(), p.view()).prepares.add(p.sender().toString());
    } else if (e.data() instanceof Commit c) {
      r.slot(c.seqNo(), c.view()).commits.add(c.sender().toString());
    }
  }

  private void applied(Replica r, Event ev) {
    if (ev instanceof AgreementEvent.PrePrepareSent x) {
      prePrepared(r, x.pp().view(), x.pp().seqNo(), x.pp().digest().shortHex());
    } else if (ev instanceof AgreementEvent.PrePrepareAccepted x) {
      Slot s = prePrepared(r, x.pp().view(), x.pp().seqNo(), x.pp().digest().shortHex());
      if (x.ownPrepare() != null) {
        s.prepares.add(r.node);
      }
    } else if (ev instanceof AgreementEvent.Prepared x) {
      Slot s = r.slot(x.seqNo(), x.view());
      s.phase = "prepared";
      if (x.ownCommit() != null) {
        s.commits.add(r.node);
      }
    } else if (ev instanceof AgreementEvent.CommittedLocal x) {
      r.slot(x.seqNo(), x.view()).phase = "committed-local";
    } else if (ev instanceof ElectionEvent.ViewChangeStarted x) {
      r.changingTo = x.own().newView();
    } else if (ev instanceof ElectionEvent.NewViewInstalled x) {
      r.view = x.view();
      r.changingTo = -1;
    } else if (ev instanceof BlockCommitEvent.BlockCommitted x) {
      r.height = x.block().header().height();
      r.head = x.block().hash().shortHex();
      r.view = Math.max(r.view, x.view());
    } else if (ev instanceof BlockCommitEvent.CheckpointStable x) {
      r.stable = Math.max(r.stable, x.seqNo());
    }
    Mark m = Mark.of(step, r.node, ev);
    if (m != null) {
      mark(m, sentence(m));
    }
  }

  private static Slot prePrepared(Replica r, long view, long seqNo, String digest) {
    Slot s = r.slot(seqNo, view);
    if (s.phase.equals("votes")) {
      s.phase = "pre-prepared";
    }
    s.digest = digest;
    return s;
  }

  /** One sentence in the paper's words for a mark. */
  static String sentence(Mark m) {
    String vn = "(v=" + m.view() + ", n=" + m.seqNo() + ")";
    return m.node() + switch (m.kind()) {
      case "pre-prepared" -> " holds the PRE-PREPARE for " + vn + " — OSDI'99 §4.2";
      case "prepared" -> " is prepared for " + vn
          + ": the pre-prepare and 2f matching prepares — OSDI'99 §4.2";
      case "committed-local" -> " is committed-local for " + vn
          + ": prepared and 2f+1 matching commits — OSDI'99 §4.2";
      case "executed" -> " executed the batch: block " + m.seqNo() + " appended — OSDI'99 §4.2";
      case "stable-checkpoint" -> ": the checkpoint at n=" + m.seqNo()
          + " is stable (2f+1 matching CHECKPOINTs) — OSDI'99 §4.3";
      case "view-change" -> " sends VIEW-CHANGE for view " + m.view() + " — OSDI'99 §4.4";
      case "new-view" -> " installed view " + m.view() + " — OSDI'99 §4.4";
      default -> ": " + m.kind();
    };
  }

  private void mark(Mark m, String text) {
    marks.addLast(m);
    say(text);
  }

  private void say(String text) {
    narration.addLast(mapper.createObjectNode().put("step", step).put("text", text));
    while (narration.size() > MAX_NARRATION) {
      narration.pollFirst();
    }
  }

  private Replica replica(String node) {
    return replicas.computeIfAbsent(node, Replica::new);
  }

  /** Replicas keep their lanes; clients share the lane {@code client}. */
  private static String lane(String peer) {
    return peer != null && peer.startsWith("node-") ? peer : "client";
  }

  private static String key(String from, String to, String type, JsonNode d) {
    return from + "|" + to + "|" + type + "|" + view(d) + "|" + seqNo(d);
  }

  private static long view(JsonNode d) {
    if (d == null) {
      return -1;
    }
    JsonNode v = d.has("view") ? d.get("view") : d.get("newView");
    return v == null || !v.isNumber() ? -1 : v.asLong();
  }

  private static long seqNo(JsonNode d) {
    JsonNode s = d == null ? null : d.get("seqNo");
    return s == null || !s.isNumber() ? -1 : s.asLong();
  }

  private static long index(String node) {
    try {
      return Long.parseLong(node.substring(node.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The replicas as the stepper shows them, in node order. */
  List<ReplicaView> replicas() {
    Quorums q = new Quorums(n >= 4 && (n - 1) % 3 == 0 ? n : 4);
    List<ReplicaView> out = new ArrayList<>();
    replicas.values().stream().sorted(Comparator.comparingLong((Replica r) -> index(r.node))
        .thenComparing(r -> r.node)).forEach(r -> {
          String primary = "node-" + (n == 0 ? 0 : r.view % n);
          String role = !r.up ? "stopped" : r.changingTo > r.view
              ? "changing view to " + r.changingTo
              : primary.equals(r.node) ? "primary" : "backup";
          List<ReplicaView.SlotView> slots = r.slots.entrySet().stream()
              .map(s -> new ReplicaView.SlotView(s.getKey(), s.getValue().view,
                  s.getValue().phase, s.getValue().prepares.size(), q.prepare(),
                  s.getValue().commits.size(), q.commit(), s.getValue().digest)).toList();
          out.add(new ReplicaView(r.node, r.up, r.view, role, primary, r.stable, -1, slots,
              r.stable, r.height, r.head, ""));
        });
    return out;
  }

  /** The page's state: the stepper's JSON shape, read-only ({@code "live": true}). */
  ObjectNode json(long skipped) {
    ObjectNode root = mapper.createObjectNode();
    root.put("live", true);
    root.put("name", "live cluster " + clusterId);
    root.put("n", n);
    root.put("f", n == 0 ? 0 : (n - 1) / 3);
    root.put("position", step);
    root.put("recorded", step);
    root.put("seconds", firstTime < 0 ? 0 : (lastTime - firstTime) / 1000.0);
    root.put("skipped", skipped);
    root.put("output", "");
    root.set("replicas", mapper.valueToTree(replicas()));
    root.putArray("inFlight");
    root.putArray("arrows").addAll(arrows);
    root.set("marks", mapper.valueToTree(List.copyOf(marks)));
    root.putObject("byzantine");
    root.putArray("partition");
    root.putArray("narration").addAll(narration);
    root.putArray("timeline");
    return root;
  }
}
