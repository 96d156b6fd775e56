package org.bftlab.step;

import org.bftlab.trace.Mark;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * The process and network faults of a stepped run, as choices on its {@link StepWorld}: crash,
 * restart (from the journal), amnesia (the journal lost: a storage fault, counted toward f),
 * Byzantine senders, a partition and its heal (OSDI'99 §2's fault model). Each checks the choice
 * before it changes anything, traces it as the simulator does (so the checkers classify the
 * nodes the same way) and narrates it.
 */
final class StepFaults {
  private final StepWorld w;

  StepFaults(StepWorld w) {
    this.w = w;
  }

  /** Applies a crash / restart / amnesia / byzantine / partition / heal choice. */
  void perform(Choice c) {
    switch (c.verb()) {
      case "amnesia" -> {
        StepReplica r = w.replica(c.arg(), "amnesia");
        boolean wasUp = r.up();
        if (wasUp) {
          w.trace.add(w.now, Kind.CRASH, r.label, null, null, null, "crashed by the student",
              null);
        }
        r.wipe();
        w.trace.add(w.now, Kind.AMNESIA, r.label, null, null, null, "journal lost", null);
        w.marks.add(new Mark(w.applying, r.label, "amnesia", -1, -1));
        w.say(r.label + " loses its journal" + (wasUp ? " and restarts empty"
            : "; it will restart empty") + ": it may sign what contradicts what it signed"
            + " before — a faulty replica, counted toward f = " + w.q.f() + " — OSDI'99 §2");
        if (wasUp) {
          w.trace.add(w.now, Kind.RESTART, r.label, null, null, null,
              "replayed 0 journaled events", null);
          w.start(r);
        }
      }
      case "byzantine" -> {
        String name = w.net.makeByzantine(c.arg());
        String node = c.arg().trim().split("\\s+")[0];
        w.trace.add(w.now, Kind.RULE, node, null, "byzantine:" + name, null,
            "outgoing messages rewritten from step " + w.applying, null);
        w.marks.add(new Mark(w.applying, node, "byzantine", -1, -1));
        w.say(node + " turns Byzantine (" + name + "): its core still runs the protocol, what it"
            + " sends lies; PBFT tolerates f = " + w.q.f() + " such replica"
            + (w.q.f() == 1 ? "" : "s") + " — OSDI'99 §2");
      }
      case "partition" -> {
        w.net.partition(c.arg());
        w.trace.add(w.now, Kind.RULE, null, null, "partition", null,
            w.net.partition().toString(), null);
        w.say("the network is partitioned " + w.net.partition() + ": messages sent across are"
            + " lost — safety holds regardless; progress needs 2f+1 replicas on one side"
            + " — §2, §4.4");
      }
      case "heal" -> {
        if (!w.net.heal()) {
          throw new IllegalArgumentException("there is no partition to heal");
        }
        w.trace.add(w.now, Kind.HEAL, null, null, "partition", null, null, null);
        w.say("the partition heals: messages sent from now on arrive again");
      }
      case "crash" -> {
        StepReplica r = w.replica(c.arg(), "crash");
        if (!r.up()) {
          throw new IllegalArgumentException(r.label + " is already crashed");
        }
        r.crash();
        w.marks.add(new Mark(w.applying, r.label, "crash", -1, -1));
        w.trace.add(w.now, Kind.CRASH, r.label, null, null, null, "crashed by the student",
            null);
        w.say(r.label + " crashes: its memory is gone, its journal stays; PBFT tolerates f = "
            + w.q.f() + " faulty replica" + (w.q.f() == 1 ? "" : "s") + " — OSDI'99 §2");
      }
      case "restart" -> {
        StepReplica r = w.replica(c.arg(), "restart");
        if (r.up()) {
          throw new IllegalArgumentException(r.label + " is running; crash it first");
        }
        w.trace.add(w.now, Kind.RESTART, r.label, null, null, null,
            "replayed " + r.journalSize() + " journaled events", null);
        w.say(r.label + " restarts and replays its " + r.journalSize() + " journaled events:"
            + " what it signed before the crash it will sign again, never another digest");
        w.marks.add(new Mark(w.applying, r.label, "restart", -1, -1));
        w.start(r);
      }
      default -> throw new IllegalArgumentException("not a fault: " + c);
    }
  }
}
