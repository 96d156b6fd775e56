package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.Decision;
import org.bftlab.core.Output;
import org.bftlab.core.agreement.AgreementEvent.ResentToPeer;
import org.bftlab.core.agreement.AgreementEvent.Retransmitted;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ReplicaMessage;

/**
 * Re-sends this replica's own messages — the very signed objects in the log, never newly signed
 * ones — so that an instance completes over a lossy network or after a restart (OSDI'99 §4.2
 * assumes reliable delivery; TOCS'02 §5.2 retransmits). Nothing here signs.
 */
final class Retransmitter {
  private final ProtocolParams params;
  private final NodeId self;

  Retransmitter(ProtocolParams params, NodeId self) {
    this.params = params;
    this.self = self;
  }

  /** This replica's own messages for (v, n): its PRE-PREPARE if primary, its PREPARE, its COMMIT. */
  List<ReplicaMessage> ownMessages(LogEntry e) {
    List<ReplicaMessage> out = new ArrayList<>(3);
    e.prePrepare().filter(pp -> pp.sender().equals(self)).ifPresent(out::add);
    e.ownPrepare().ifPresent(out::add);
    e.ownCommit().ifPresent(out::add);
    return out;
  }

  /**
   * At tick {@code now}: re-multicasts own messages for every seqNo above lastDelivered that is not
   * committed-local and made no progress for retransmitTicks ticks ({@code due}); with {@code
   * due == false} (recovery) for every such seqNo regardless of time. Nothing during a view
   * change.
   */
  void resend(AgreementState s, long now, boolean due, Decision.Builder<AgreementEvent> b) {
    if (s.viewChangeInProgress()) {
      return; // §4.4: the replica left its view; its normal-case messages are moot
    }
    List<Long> sent = new ArrayList<>();
    for (Slot slot : s.slots()) {
      if (slot.seqNo() <= s.lastDeliveredSeqNo() || slot.isCommittedLocal()) {
        continue;
      }
      if (due && now - slot.lastProgressTick() < params.retransmitTicks()) {
        continue;
      }
      List<ReplicaMessage> own = slot.entry(s.view()).map(this::ownMessages).orElse(List.of());
      if (!own.isEmpty()) {
        own.forEach(m -> b.output(new Output.Multicast(m)));
        sent.add(slot.seqNo());
      }
    }
    if (!sent.isEmpty()) {
      b.persist(new Retransmitted(sent, now));
    }
  }

  /**
   * At tick {@code now}, every retransmitTicks: a backup re-sends to the primary each request it
   * accepted from a client that is still held here (not pre-prepared here) since the previous
   * round, i.e. for one to two retransmitTicks. Such a request was relayed to every replica when
   * it was accepted (TOCS'02 §4.5.2: a backup forwards client requests to the primary); if that
   * relay was lost — the replica had just restarted and reached no peer yet, issue 7 — it exists
   * here only, and clients that do not retransmit would wait for ever. Only requests accepted
   * here: those relayed by a peer are held by that peer too. Idempotent at the primary, which
   * ignores a request it has queued or logged above h (a request already executed below h may be
   * ordered again and is then recorded as DUPLICATE_TXID by block commit). Nothing at the
   * primary or during a view change (the new primary gets every held request when the view is
   * installed).
   */
  void resendHeld(AgreementState s, long now, Decision.Builder<AgreementEvent> b) {
    NodeId primary = params.primary(s.view());
    if (s.viewChangeInProgress() || primary.equals(self) || s.noHeldRound()
        || now - s.lastHeldRound() < params.retransmitTicks()) {
      return;
    }
    List<org.bftlab.core.msg.Request> candidates = s.heldAcceptedHere();
    List<org.bftlab.core.msg.Request> stale = candidates.stream()
        .filter(r -> s.heldAtLastRound(r.txId())).toList();
    b.persist(new AgreementEvent.HeldRequestsResent(primary,
        stale.stream().map(org.bftlab.core.msg.Request::txId).toList(),
        candidates.stream().map(org.bftlab.core.msg.Request::txId).toList(), now));
    stale.forEach(r -> b.output(new Output.Send(primary, r)));
  }

  /**
   * Sends {@code peer} this replica's own messages for {@code seqNo}, which is committed-local
   * here while {@code peer} re-sent one of its messages for it (a duplicate: the peer retransmits,
   * so it is stuck or restarted); once per (seqNo, peer) so that two committed replicas never
   * ping-pong. First arrivals do not trigger it: in the normal case the last f messages of an
   * instance arrive after committed-local and need no answer.
   */
  void helpPeer(AgreementState s, long seqNo, NodeId peer, Decision.Builder<AgreementEvent> b) {
    Slot slot = s.slot(seqNo).orElse(null);
    if (slot == null || !slot.isCommittedLocal() || s.alreadyResent(seqNo, peer)) {
      return;
    }
    List<ReplicaMessage> own = slot.entry(slot.committedView()).map(this::ownMessages)
        .orElse(List.of());
    if (own.isEmpty()) {
      return;
    }
    b.persist(new ResentToPeer(seqNo, peer));
    own.forEach(m -> b.output(new Output.Send(peer, m)));
  }

  /**
   * At tick {@code now}: for every committed-local seqNo above h whose instance has been quiet
   * for retransmitTicks, sends this replica's own messages to each peer that sent no COMMIT for
   * it — a peer that missed the PRE-PREPARE, or dropped the messages while outside its
   * watermarks, cannot complete the instance otherwise (the others have nothing left to
   * retransmit). Again every retransmitTicks while that peer's COMMIT is missing: a peer that
   * catches up by state transfer drops what arrives before its watermarks move, so one attempt
   * is not enough (TOCS'02 §5.2 retransmits until the instance completes everywhere). Bounded:
   * only seqNos in (h, H], at most one send per (seqNo, peer) per retransmitTicks, and nothing
   * once the peer's COMMIT is logged or h passes the seqNo.
   */
  void helpLaggards(AgreementState s, long now, Decision.Builder<AgreementEvent> b) {
    for (Slot slot : s.slots()) {
      if (!slot.isCommittedLocal() || now - slot.lastProgressTick() < params.retransmitTicks()) {
        continue;
      }
      LogEntry entry = slot.entry(slot.committedView()).orElse(null);
      if (entry == null) {
        continue;
      }
      List<ReplicaMessage> own = ownMessages(entry);
      if (own.isEmpty()) {
        continue;
      }
      for (NodeId peer : params.nodes()) {
        if (peer.equals(self) || entry.hasCommitFrom(peer)) {
          continue;
        }
        long last = s.lastHelped(slot.seqNo(), peer);
        if (last >= 0 && now - last < params.retransmitTicks()) {
          continue;
        }
        b.persist(new AgreementEvent.LaggardHelped(slot.seqNo(), peer, now));
        own.forEach(m -> b.output(new Output.Send(peer, m)));
      }
    }
  }
  /**
   * Receiver-initiated retransmission (Castro's thesis §5.2): {@code peer}'s STATUS says it
   * executed only up to {@code peerExecuted}. For every seqNo above that which is committed-local
   * here and quiet for retransmitTicks, sends {@code peer} this replica's own messages of the
   * committed view (its PRE-PREPARE if it is the primary, its PREPARE, its COMMIT; only own ones:
   * relaying others' signed messages would let a Byzantine relayer's rewrites pass for their
   * signers' in the simulator's trace checkers, and a primary accepts no PRE-PREPARE anyway) —
   * unlike {@link #helpLaggards}, even when {@code peer}'s COMMIT is logged here
   * (a replica whose data directory was wiped has forgotten it). Bounded: seqNos in (h, H], at
   * most one send per (seqNo, peer) per retransmitTicks; quiet slots only, so a busy cluster,
   * where every replica is momentarily a few seqNos behind another, re-sends nothing.
   */
  void helpBehind(AgreementState s, NodeId peer, long peerExecuted, long now,
      Decision.Builder<AgreementEvent> b) {
    if (peer.equals(self) || !params.isMember(peer)) {
      return;
    }
    for (Slot slot : s.slots()) {
      if (slot.seqNo() <= peerExecuted || !slot.isCommittedLocal()
          || now - slot.lastProgressTick() < params.retransmitTicks()) {
        continue;
      }
      long last = s.lastHelped(slot.seqNo(), peer);
      if (last >= 0 && now - last < params.retransmitTicks()) {
        continue;
      }
      LogEntry entry = slot.entry(slot.committedView()).orElse(null);
      if (entry == null) {
        continue;
      }
      List<ReplicaMessage> msgs = ownMessages(entry);
      if (msgs.isEmpty()) {
        continue;
      }
      b.persist(new AgreementEvent.LaggardHelped(slot.seqNo(), peer, now));
      msgs.forEach(m -> b.output(new Output.Send(peer, m)));
    }
  }
}
