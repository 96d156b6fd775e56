package org.bftlab.step;

import org.bftlab.core.Event;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.quorum.Quorums;

/**
 * One sentence per state change, in the words of Castro &amp; Liskov (OSDI'99) with the section,
 * e.g. "node-2 is prepared for (v=0, n=1): it holds the pre-prepare and 2f = 2 matching prepares
 * — OSDI'99 §4.2". Pure: reads the event only.
 */
final class Narrator {
  private final Quorums q;

  Narrator(Quorums q) {
    this.q = q;
  }

  /** The sentence for {@code e} persisted or applied at {@code node}, or null if not worth one. */
  String narrate(String node, Event e) {
    if (e instanceof AgreementEvent.PrePrepareSent s) {
      return node + ", the primary of view " + s.pp().view() + ", assigns sequence number n="
          + s.pp().seqNo() + " to the request and multicasts PRE-PREPARE " + vn(s.pp().view(),
          s.pp().seqNo()) + " — OSDI'99 §4.2";
    }
    if (e instanceof AgreementEvent.PrePrepareAccepted a) {
      return node + " accepts the PRE-PREPARE " + vn(a.pp().view(), a.pp().seqNo())
          + " (right view, inside the watermarks, no other digest for n) and multicasts its"
          + " PREPARE: it is pre-prepared — OSDI'99 §4.2";
    }
    if (e instanceof AgreementEvent.PrepareAccepted p) {
      return node + " logs " + p.p().sender() + "'s PREPARE " + vn(p.p().view(), p.p().seqNo())
          + " (prepared needs 2f = " + q.prepare() + " matching prepares) — OSDI'99 §4.2";
    }
    if (e instanceof AgreementEvent.Prepared p) {
      return node + " is prepared for " + vn(p.view(), p.seqNo()) + ": it holds the pre-prepare"
          + " and 2f = " + q.prepare() + " matching prepares; it multicasts COMMIT — OSDI'99 §4.2";
    }
    if (e instanceof AgreementEvent.CommitAccepted c) {
      return node + " logs " + c.c().sender() + "'s COMMIT " + vn(c.c().view(), c.c().seqNo())
          + " (committed-local needs 2f+1 = " + q.commit() + ") — OSDI'99 §4.2";
    }
    if (e instanceof AgreementEvent.CommittedLocal c) {
      return node + " is committed-local for " + vn(c.view(), c.seqNo()) + ": prepared and 2f+1 = "
          + q.commit() + " matching commits; it may execute n=" + c.seqNo()
          + " once everything below is executed — OSDI'99 §4.2";
    }
    if (e instanceof AgreementEvent.ViewInstalled v) {
      return node + "'s agreement enters view " + v.view() + " — OSDI'99 §4.4";
    }
    if (e instanceof AgreementEvent.Rejected r) {
      return node + " rejects " + r.messageType() + " from " + r.from() + ": " + r.reason();
    }
    if (e instanceof BlockCommitEvent.BlockCommitted b) {
      return node + " executes the batch of n=" + b.block().header().height()
          + ", appends block " + b.block().header().height() + " to its chain and sends REPLY"
          + " to the client — OSDI'99 §4.1";
    }
    if (e instanceof BlockCommitEvent.CheckpointTaken c) {
      return node + " takes a checkpoint at n=" + c.own().seqNo()
          + " and multicasts CHECKPOINT — OSDI'99 §4.3";
    }
    if (e instanceof BlockCommitEvent.CheckpointStable c) {
      return node + "'s checkpoint at n=" + c.seqNo() + " is stable: 2f+1 = " + q.commit()
          + " matching CHECKPOINTs; the low watermark h moves to " + c.seqNo()
          + " and older log entries are discarded — OSDI'99 §4.3";
    }
    if (e instanceof ElectionEvent.TimerStarted t) {
      return node + " waits for a request it has seen but not executed: its view-change timer"
          + " starts (" + t.timeoutTicks() + " ticks) — OSDI'99 §4.4";
    }
    if (e instanceof ElectionEvent.TimerExpired t) {
      return node + "'s view-change timer expired: it suspects the primary — OSDI'99 §4.4";
    }
    if (e instanceof ElectionEvent.ViewChangeStarted v) {
      return node + " stops accepting messages of the old view and multicasts VIEW-CHANGE for"
          + " view " + v.own().newView() + " with its stable checkpoint and prepared"
          + " certificates — OSDI'99 §4.4";
    }
    if (e instanceof ElectionEvent.NewViewSent n) {
      return node + ", the primary of view " + n.newView().view() + ", holds 2f+1 = " + q.commit()
          + " VIEW-CHANGEs and multicasts NEW-VIEW with the O set of re-issued pre-prepares"
          + " — OSDI'99 §4.4";
    }
    if (e instanceof ElectionEvent.NewViewInstalled n) {
      return node + " installs view " + n.view() + " with primary " + n.primary()
          + " — OSDI'99 §4.4";
    }
    if (e instanceof ElectionEvent.ViewChangeJoined j) {
      return node + " joins the view change to view " + j.newView()
          + ": f+1 replicas asked for it — OSDI'99 §4.5.2";
    }
    if (e instanceof ElectionEvent.Rejected r) {
      return node + " rejects " + r.messageType() + " from " + r.from() + ": " + r.reason();
    }
    return null;
  }

  static String vn(long v, long n) {
    return "(v=" + v + ", n=" + n + ")";
  }
}
