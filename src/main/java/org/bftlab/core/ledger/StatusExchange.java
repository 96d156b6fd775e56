package org.bftlab.core.ledger;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.Decision;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitEvent.Rejected;
import org.bftlab.core.ledger.BlockCommitEvent.StatusAnswered;
import org.bftlab.core.ledger.BlockCommitEvent.StatusSent;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Status;

/**
 * STATUS messages for the block-commit component: how a replica that is behind an idle cluster
 * learns it and gets what it misses, with no new request to carry the news. PBFT's
 * implementation retransmits on the receiver's initiative (Castro's thesis, MIT-LCS-TR-817,
 * §5.2 "Message Retransmission", paraphrased): each replica periodically multicasts a small
 * status message summarising its state, and a replica receiving one from a peer that is behind
 * re-sends it what it is missing. Part of {@link BlockCommitCore}'s {@code decide}.
 *
 * <ul>
 *   <li><b>Sending</b> ({@link #onTick}): a replica that executed nothing for
 *       {@link #statusTicks} = 2·retransmitTicks multicasts STATUS ⟨v, h, e, i⟩, then again every
 *       statusTicks while it stays idle; and once at recovery ({@link #status}). A busy replica
 *       sends none.
 *   <li><b>Receiving</b> a STATUS from member p (signature checked; own ignored):
 *       <ol>
 *         <li>p's stable checkpoint h_p is above this replica's height: it is behind a stable
 *             checkpoint and starts a state transfer towards h_p, asking p first (the response
 *             is verified against a 2f+1 certificate, so p's claim decides nothing).
 *         <li>else p executed more than this replica: it answers with its own STATUS (at most
 *             once per retransmitTicks) so that p, rule 3, re-sends the slots it misses.
 *         <li>p executed less than this replica (at most one answer per p per
 *             retransmitTicks): if p is below this replica's stable checkpoint, it sends p its
 *             own STATUS (p then applies rule 1); in any case it signals agreement
 *             ({@link Signal.PeerBehind}) to re-send p the PRE-PREPARE, PREPARE and COMMIT of
 *             every quiet committed slot above p's e.
 *       </ol>
 *       And whenever p's view is at or above this replica's and p executed at most L more,
 *       election hears that p is in step
 *       ({@link Signal.PeerInStep}): a (re)started replica runs its view-change timer only once
 *       f+1 peers are heard, and while replicas are idle a STATUS is all it hears.
 * </ul>
 * A STATUS is never logged and never counts toward a quorum.
 */
final class StatusExchange {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final StateTransfer transfer;

  StatusExchange(ProtocolParams params, NodeId self, Authenticator auth, StateTransfer transfer) {
    this.params = Objects.requireNonNull(params, "params");
    this.self = Objects.requireNonNull(self, "self");
    this.auth = Objects.requireNonNull(auth, "auth");
    this.transfer = Objects.requireNonNull(transfer, "transfer");
  }

  /** Ticks of idleness before a STATUS, and between two STATUS while idle: 2·retransmitTicks. */
  long statusTicks() {
    return 2L * params.retransmitTicks();
  }

  /** This replica's STATUS now: its view, last stable checkpoint and last executed seqNo. */
  Status status(BlockCommitState s) {
    long e = s.lastExecutedSeqNo();
    return Status.sign(params.clusterId(), s.view(), Math.min(s.lastStableCheckpoint(), e), e,
        self, auth);
  }

  /** At tick {@code now}: multicasts STATUS when idle for statusTicks (see the class comment). */
  void onTick(BlockCommitState s, long now, Decision.Builder<BlockCommitEvent> d) {
    if (now - s.lastExecutedTick() >= statusTicks() && now - s.lastStatusTick() >= statusTicks()) {
      d.persist(new StatusSent(now));
      d.output(new Output.Multicast(status(s)));
    }
  }

  /** The receiving rules 1–3 of the class comment. */
  void onStatus(BlockCommitState s, Status st, Decision.Builder<BlockCommitEvent> d) {
    NodeId p = st.sender();
    if (p.equals(self)) {
      return;
    }
    if (!params.isMember(p)) {
      d.persist(new Rejected(st.type(), p, p + " is not a replica of " + params.clusterId()));
      return;
    }
    if (!st.verify(params.clusterId(), auth)) {
      d.persist(new Rejected(st.type(), p, "signature does not verify under " + p + "'s key"));
      return;
    }
    if (st.view() >= s.view() && st.lastExecuted() <= s.height() + params.watermarkWindow()) {
      // p is reachable and in step (not far ahead): a (re)started replica's election waits for
      // f+1 such peers before it runs its view-change timer (STATUS flows while replicas idle)
      d.output(new Output.ToSibling(new Signal.PeerInStep(st.view(), p)));
    }
    long now = s.ticks();
    long height = s.height();
    if (st.stableSeqNo() > height) {
      transfer.start(s, st.stableSeqNo(), List.of(p), d);
    } else if (st.lastExecuted() > height
        && now - s.lastStatusTick() >= params.retransmitTicks()) {
      d.persist(new StatusSent(now));
      d.output(new Output.Send(p, status(s)));
    }
    if (st.lastExecuted() < height
        && now - s.lastStatusAnswered(p) >= params.retransmitTicks()) {
      d.persist(new StatusAnswered(p, now));
      if (st.lastExecuted() < s.lastStableCheckpoint()) {
        d.output(new Output.Send(p, status(s)));
      }
      d.output(new Output.ToSibling(new Signal.PeerBehind(p, st.lastExecuted())));
    }
  }
}
