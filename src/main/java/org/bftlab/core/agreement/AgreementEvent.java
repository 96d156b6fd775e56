package org.bftlab.core.agreement;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.Event;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;

/**
 * What the agreement component records (DESIGN.md §5): past-tense records named after the
 * transitions of OSDI'99 §4.2. Events that do not implement {@link Event.Volatile} are persisted
 * and replayed on restart; this replica's own signed messages travel inside them, so they are
 * durable before they are sent (persist before send).
 */
public sealed interface AgreementEvent extends Event {

  // ---- persisted ------------------------------------------------------------------------------

  /** The primary assigned {@code pp.seqNo()} to a batch and signed the PRE-PREPARE (§4.2). */
  record PrePrepareSent(PrePrepare pp) implements AgreementEvent {
    public PrePrepareSent {
      Objects.requireNonNull(pp, "pp");
    }
  }

  /** A backup accepted {@code pp} and signed {@code ownPrepare} for the same (v, n, d) (§4.2). */
  record PrePrepareAccepted(PrePrepare pp, Prepare ownPrepare) implements AgreementEvent {
    public PrePrepareAccepted {
      Objects.requireNonNull(pp, "pp");
      // ownPrepare null: learnt passively during a view change (this replica signs nothing)
      if (ownPrepare != null && (pp.view() != ownPrepare.view() || pp.seqNo() != ownPrepare.seqNo()
          || !pp.digest().equals(ownPrepare.digest()))) {
        throw new IllegalArgumentException("own PREPARE " + ownPrepare + " does not match " + pp);
      }
    }

    /** Passively learnt, without an own PREPARE (a replica inside a view change). */
    public PrePrepareAccepted(PrePrepare pp) {
      this(pp, null);
    }
  }

  /** A peer's PREPARE was logged (first from that sender for (v, n)). */
  record PrepareAccepted(Prepare p) implements AgreementEvent {
    public PrepareAccepted {
      Objects.requireNonNull(p, "p");
    }
  }

  /**
   * <em>prepared</em>(m, v, n, i) became true: PRE-PREPARE plus 2f matching PREPAREs from distinct
   * backups (§4.2); this replica signed {@code ownCommit}.
   */
  record Prepared(long view, long seqNo, Digest digest, Commit ownCommit) implements AgreementEvent {
    public Prepared {
      Objects.requireNonNull(digest, "digest");
      // ownCommit null: prepared learnt passively during a view change (nothing signed)
      if (ownCommit != null && (ownCommit.view() != view || ownCommit.seqNo() != seqNo
          || !ownCommit.digest().equals(digest))) {
        throw new IllegalArgumentException("own COMMIT " + ownCommit + " does not match (v="
            + view + ", n=" + seqNo + ", d=" + digest.shortHex() + ")");
      }
    }
  }

  /** A COMMIT was logged (first from that sender for (v, n)). */
  record CommitAccepted(Commit c) implements AgreementEvent {
    public CommitAccepted {
      Objects.requireNonNull(c, "c");
    }
  }

  /** <em>committed-local</em>(m, v, n, i): prepared plus 2f+1 matching COMMITs (§4.2). */
  record CommittedLocal(long view, long seqNo, Digest digest) implements AgreementEvent {
    public CommittedLocal {
      Objects.requireNonNull(digest, "digest");
      if (view < 0 || seqNo < 1) {
        throw new IllegalArgumentException("need view >= 0 and seqNo >= 1, got v=" + view
            + ", n=" + seqNo);
      }
    }
  }

  /**
   * The election component installed {@code view} (§4.4); the agreement now works in it. With a
   * NEW-VIEW: h advances to min-s ({@code stableSeqNo}) if it was lower, the PRE-PREPAREs of O
   * are logged for the new view with this backup's own PREPAREs for them, uncommitted slots above
   * max-s are discarded (nothing above max-s prepared at 2f+1 replicas) and the next seqNo the
   * primary assigns is max-s + 1.
   *
   * @param view v+1
   * @param stableSeqNo min-s (0 without a NEW-VIEW)
   * @param prePrepares O restricted to (h, H] after the advance, seqNo order
   * @param ownPrepares this backup's PREPAREs for {@code prePrepares} (empty at the primary)
   * @param awaitingBatch the headers of O (restricted likewise) whose batch this replica did not
   *     hold: no PREPARE for them until the batch is fetched ({@link BatchFetch}, TOCS'02
   *     §6.2.1); absent in journals written before batches were fetched (read as empty)
   */
  record ViewInstalled(long view, long stableSeqNo, List<PrePrepare> prePrepares,
      List<Prepare> ownPrepares, List<PrePrepareHeader> awaitingBatch) implements AgreementEvent {
    public ViewInstalled {
      if (view < 0 || stableSeqNo < 0) {
        throw new IllegalArgumentException("need view >= 0 and min-s >= 0, got v=" + view
            + ", min-s=" + stableSeqNo);
      }
      prePrepares = List.copyOf(prePrepares);
      ownPrepares = List.copyOf(ownPrepares);
      awaitingBatch = awaitingBatch == null ? List.of() : List.copyOf(awaitingBatch);
      for (PrePrepare pp : prePrepares) {
        if (pp.view() != view) {
          throw new IllegalArgumentException(pp + " is not of view " + view);
        }
      }
      for (PrePrepareHeader h : awaitingBatch) {
        if (h.view() != view) {
          throw new IllegalArgumentException(h + " is not of view " + view);
        }
      }
      for (Prepare p : ownPrepares) {
        boolean matches = prePrepares.stream().anyMatch(pp -> pp.seqNo() == p.seqNo()
            && pp.view() == p.view() && pp.digest().equals(p.digest()));
        if (!matches) {
          throw new IllegalArgumentException("own " + p + " matches no PRE-PREPARE of O");
        }
      }
    }

    /** Every batch of O held: nothing awaits a fetch. */
    public ViewInstalled(long view, long stableSeqNo, List<PrePrepare> prePrepares,
        List<Prepare> ownPrepares) {
      this(view, stableSeqNo, prePrepares, ownPrepares, List.of());
    }

    /** A view installed without a NEW-VIEW: nothing to re-propose. */
    public ViewInstalled(long view) {
      this(view, 0, List.of(), List.of());
    }

    @Override
    public String toString() {
      return "view " + view + " installed in agreement, min-s=" + stableSeqNo + ", |O|="
          + prePrepares.size() + ", own PREPAREs " + ownPrepares.size()
          + (awaitingBatch.isEmpty() ? "" : ", " + awaitingBatch.size() + " batches to fetch");
    }
  }

  /**
   * The agreement left its view for a view change to {@code newView} (§4.4): from now on it
   * accepts no PRE-PREPARE, PREPARE or COMMIT until a view >= {@code newView} is installed, and
   * it has handed its prepared certificates to election.
   */
  record ViewChangeEntered(long newView) implements AgreementEvent {
    public ViewChangeEntered {
      if (newView < 1) {
        throw new IllegalArgumentException("newView must be >= 1, got " + newView);
      }
    }

    @Override
    public String toString() {
      return "normal case suspended for the view change to " + newView;
    }
  }

  /** A checkpoint at {@code seqNo} became stable: h = seqNo, H = h + L, log ≤ h dropped (§4.3). */
  record LowWatermarkAdvanced(long seqNo) implements AgreementEvent {
    public LowWatermarkAdvanced {
      if (seqNo < 1) {
        throw new IllegalArgumentException("seqNo must be >= 1, got " + seqNo);
      }
    }
  }

  // ---- volatile -------------------------------------------------------------------------------

  /** One tick passed; {@code now} is the new tick count (volatile). */
  record Ticked(long now) implements AgreementEvent, Event.Volatile {}

  /** The primary put {@code request} into its pool at tick {@code atTick} (volatile). */
  record RequestQueued(Request request, long atTick) implements AgreementEvent, Event.Volatile {
    public RequestQueued {
      Objects.requireNonNull(request, "request");
    }
  }

  /** A backup forwarded the request {@code txId} to the primary {@code primary} (§4.1; volatile). */
  record RequestForwarded(String txId, NodeId primary) implements AgreementEvent, Event.Volatile {
    public RequestForwarded {
      Objects.requireNonNull(txId, "txId");
      Objects.requireNonNull(primary, "primary");
    }
  }

  /**
   * This replica holds {@code request}, which it forwarded to the primary as a backup (or which
   * reached it during a view change), until it is pre-prepared; after a view change it goes to
   * the new primary (§4.1, §4.4; volatile: clients retransmit after a restart).
   */
  record RequestHeld(Request request) implements AgreementEvent, Event.Volatile {
    public RequestHeld {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * This replica became the primary of the installed view and moved the {@code count} requests
   * it held as a backup into its pool, to propose them (volatile).
   */
  record PoolAdopted(int count) implements AgreementEvent, Event.Volatile {}

  /**
   * A replica that is not the primary of the installed view sent the requests it holds (its pool
   * of not-yet-proposed requests if it was the primary, the requests it forwarded as a backup) to
   * the new primary {@code primary} ({@code count} requests; §4.1 forwarding; volatile). The
   * requests stay held here until pre-prepared.
   */
  record PoolHandedOver(NodeId primary, int count) implements AgreementEvent, Event.Volatile {
    public PoolHandedOver {
      Objects.requireNonNull(primary, "primary");
    }
  }

  /**
   * The low watermark jumped to {@code seqNo}, past the last batch delivered here ({@code
   * delivered}): the batches in between were executed by state transfer, so this replica cannot
   * tell which of the {@code count} requests it held were among them. It drops them; every one
   * was relayed to all replicas when it was accepted, so the others still hold those that are not
   * executed (volatile).
   */
  record HeldDropped(long seqNo, long delivered, int count)
      implements AgreementEvent, Event.Volatile {}

  /**
   * This replica (re)started ({@code recover()}): the first correctly signed PRE-PREPARE, PREPARE
   * or COMMIT of each peer, in its view or above, is reported to election ({@link
   * org.bftlab.core.Signal.PeerInStep}), whose view-change timer waits for f+1 peers (volatile).
   */
  record PeersReporting() implements AgreementEvent, Event.Volatile {}

  /**
   * The first correctly signed PRE-PREPARE, PREPARE or COMMIT from {@code peer} since this
   * replica (re)started, in its view or above, was reported to election ({@link
   * org.bftlab.core.Signal.PeerInStep}); once per peer per start (volatile).
   */
  record PeerReported(NodeId peer) implements AgreementEvent, Event.Volatile {
    public PeerReported {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /**
   * A (re)started replica that is the primary of its view {@code view} by its own journal, but
   * has not yet heard f+1 peers in that view, took the client request {@code txId} and holds it
   * instead of proposing it: its view may be stale (it is typically the primary that was killed,
   * and the others moved on), and a PRE-PREPARE of a stale view reaches no one and is discarded
   * when a state transfer moves h past it (issue 7). Marks the request as accepted here, so that
   * it survives a stable checkpoint and is handed to the real primary (volatile).
   */
  record HeldUntilViewConfirmed(String txId, long view) implements AgreementEvent, Event.Volatile {
    public HeldUntilViewConfirmed {
      Objects.requireNonNull(txId, "txId");
    }

    @Override
    public String toString() {
      return "request " + txId.substring(0, Math.min(8, txId.length())) + " held: primary of view "
          + view + " by its journal, not yet confirmed by f+1 peers in that view";
    }
  }

  /**
   * This replica restarted from a non-empty journal in view {@code view}: until f+1 peers are
   * heard in that view (or a new view is installed) it acts there as a backup — its view may be
   * stale (volatile). Not at a first start: an empty journal is view 0 at genesis.
   */
  record ViewUnconfirmed(long view) implements AgreementEvent, Event.Volatile {}

  /**
   * Since its (re)start this replica heard {@code peer} in step in its current view {@code view}
   * ({@link org.bftlab.core.Signal.PeerInStep}); once per peer until the view is confirmed
   * (volatile).
   */
  record PeerInViewNoted(NodeId peer, long view) implements AgreementEvent, Event.Volatile {
    public PeerInViewNoted {
      Objects.requireNonNull(peer, "peer");
    }
  }

  /**
   * f+1 distinct peers ({@code peers}) were heard in this replica's view {@code view} since its
   * (re)start — one of them correct, so the view is current — and this replica, holding {@code
   * held} requests, now acts in it: as its primary it proposes them, as a backup it sends the
   * ones accepted here to the primary (volatile).
   */
  record ViewConfirmed(long view, List<NodeId> peers, int held)
      implements AgreementEvent, Event.Volatile {
    public ViewConfirmed {
      peers = List.copyOf(peers);
    }

    @Override
    public String toString() {
      return "view " + view + " confirmed by " + peers + " since the (re)start; " + held
          + " held requests go to its primary";
    }
  }

  /**
   * At tick {@code atTick} this backup re-sent to the primary {@code primary} the requests
   * {@code resent}: accepted here from clients and still held (not pre-prepared here) a
   * retransmitTicks round after the previous one — their relay may have been lost (accepted while
   * this replica reached no peer, e.g. just restarted). {@code candidates} are the requests
   * accepted here and held now, re-sent at the next round if still held (volatile).
   */
  record HeldRequestsResent(NodeId primary, List<String> resent, List<String> candidates,
      long atTick) implements AgreementEvent, Event.Volatile {
    public HeldRequestsResent {
      Objects.requireNonNull(primary, "primary");
      resent = List.copyOf(resent);
      candidates = List.copyOf(candidates);
    }
  }

  /** Every committed-local batch up to {@code upTo} has been handed to block commit (volatile). */
  record BatchesDelivered(long upTo) implements AgreementEvent, Event.Volatile {}

  /**
   * This replica re-multicast its own messages for {@code seqNos}, which made no progress for
   * retransmitTicks ticks, at tick {@code atTick} (volatile).
   */
  record Retransmitted(List<Long> seqNos, long atTick) implements AgreementEvent, Event.Volatile {
    public Retransmitted {
      seqNos = List.copyOf(seqNos);
    }
  }

  /**
   * This replica re-sent its own messages for the committed-local {@code seqNo} to {@code to},
   * which is still working on it; at most once per (seqNo, peer) (volatile).
   */
  record ResentToPeer(long seqNo, NodeId to) implements AgreementEvent, Event.Volatile {
    public ResentToPeer {
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A PRE-PREPARE, PREPARE or COMMIT was set aside unchecked: either of the current view for a
   * seqNo in (H, H + L] (this replica is behind: its low watermark has not yet advanced), or of a
   * higher view (peers installed a new view before this replica did, §4.4); the
   * message becomes admissible once it does. Bounded; released by {@link DeferredReleased}.
   */
  record Deferred(ReplicaMessage message) implements AgreementEvent, Event.Volatile {
    public Deferred {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Deferred messages with seqNo <= {@code upTo} and a view no higher than the current one were
   * handed back to this replica's inbox.
   */
  record DeferredReleased(long upTo) implements AgreementEvent, Event.Volatile {}

  /**
   * This replica sent its own messages for committed-local {@code seqNo} to {@code to}, which had
   * sent no COMMIT for it within retransmitTicks (it missed the PRE-PREPARE or lagged outside
   * its watermarks); at tick {@code atTick}, again every retransmitTicks until its COMMIT is
   * logged here or h passes seqNo.
   */
  record LaggardHelped(long seqNo, NodeId to, long atTick) implements AgreementEvent, Event.Volatile {
    public LaggardHelped {
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * This replica multicast FETCH-BATCH for the headers of O awaiting their batch at {@code
   * seqNos}, at tick {@code atTick}: after installing the view, then every retransmitTicks until
   * the batch arrives (TOCS'02 §6.2.1; volatile).
   */
  record BatchRequested(List<Long> seqNos, long atTick) implements AgreementEvent, Event.Volatile {
    public BatchRequested {
      seqNos = List.copyOf(seqNos);
    }
  }

  /**
   * This replica answered {@code to}'s FETCH-BATCH for {@code seqNo} with the batch, at tick
   * {@code atTick}; it answers that (peer, seqNo) again only retransmitTicks later (volatile).
   */
  record BatchServed(long seqNo, NodeId to, long atTick) implements AgreementEvent, Event.Volatile {
    public BatchServed {
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A message or request was dropped and counts toward nothing; the trace of why (volatile).
   *
   * @param messageType the paper's name, e.g. {@code PRE-PREPARE}
   * @param from the claimed sender ({@code node-i} or a client id)
   * @param reason a sentence naming the rule that failed
   */
  record Rejected(String messageType, String from, String reason)
      implements AgreementEvent, Event.Volatile {
    public Rejected {
      Objects.requireNonNull(messageType, "messageType");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
