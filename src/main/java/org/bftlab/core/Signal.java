package org.bftlab.core;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.Request;

/**
 * Messages between the sibling components of one node (DESIGN.md §2). They are part of the
 * trace like network messages, and are named in the past tense like events. {@link NodeRoute}
 * says which component receives which signal.
 */
public sealed interface Signal {
  /**
   * Agreement → block commit: the batch at {@code seqNo} is committed-local and every lower seqNo
   * has been delivered before it (execution strictly in seqNo order, OSDI'99 §4.2). A batch may
   * be delivered again after a restart; block commit ignores seqNos it executed, and passes every
   * one on to election as {@link BatchExecuted}.
   */
  record BatchCommitted(long view, long seqNo, Digest digest, List<Request> batch) implements Signal {
    public BatchCommitted {
      Objects.requireNonNull(digest, "digest");
      batch = List.copyOf(batch);
    }
  }

  /**
   * Block commit → agreement, election: the checkpoint at {@code seqNo} became stable (§4.3).
   *
   * @param seqNo n, a multiple of K (>= 1)
   * @param digest d
   * @param proof the 2f+1 matching CHECKPOINTs that made it stable (C of a VIEW-CHANGE, §4.4);
   *     election ignores a stable checkpoint without a full proof, because a VIEW-CHANGE
   *     claiming it could not be verified
   */
  record CheckpointStable(long seqNo, Digest digest, List<Checkpoint> proof) implements Signal {
    public CheckpointStable {
      Objects.requireNonNull(digest, "digest");
      proof = List.copyOf(Objects.requireNonNull(proof, "proof"));
    }

    /** Without its proof (agreement needs none; election ignores it). */
    public CheckpointStable(long seqNo, Digest digest) {
      this(seqNo, digest, List.of());
    }
  }

  /**
   * Election → agreement, block commit: view {@code view} is installed with {@code primary}
   * (§4.4). Agreement advances its low watermark to {@code stableSeqNo} (min-s) if it is behind,
   * logs the PRE-PREPAREs of O and, at a backup, multicasts PREPAREs for them; for a header of O
   * whose batch it lacks it first fetches the batch ({@link org.bftlab.core.msg.FetchBatch}).
   *
   * @param view v+1
   * @param primary primary(v+1)
   * @param stableSeqNo min-s of the NEW-VIEW (0 for a view installed without one)
   * @param prePrepares O, the new primary's PRE-PREPARE headers for (min-s, max-s], in seqNo
   *     order
   */
  record ViewInstalled(long view, NodeId primary, long stableSeqNo,
      List<PrePrepareHeader> prePrepares)
      implements Signal {
    public ViewInstalled {
      Objects.requireNonNull(primary, "primary");
      if (view < 0 || stableSeqNo < 0) {
        throw new IllegalArgumentException("need view >= 0 and min-s >= 0, got v=" + view
            + ", min-s=" + stableSeqNo);
      }
      prePrepares = List.copyOf(Objects.requireNonNull(prePrepares, "prePrepares"));
    }

    /** A view installed without a NEW-VIEW (view 0, or tests): min-s = 0, O empty. */
    public ViewInstalled(long view, NodeId primary) {
      this(view, primary, 0, List.of());
    }
  }

  /**
   * Agreement → block commit: this backup holds the client request {@code txId} and it is not
   * committed-local here. Block commit, which alone knows every transaction executed here
   * (including those a state transfer executed, which agreement never saw), passes it on to
   * election as {@link RequestAwaited} unless it executed it already.
   */
  record RequestPending(String txId) implements Signal {
    public RequestPending {
      Objects.requireNonNull(txId, "txId");
    }
  }

  /**
   * Block commit → election: this backup is waiting for request {@code txId} — "a backup is
   * waiting for a request if it received a valid request and has not executed it" (OSDI'99
   * §4.4); election starts its view-change timer if it is not running. Sent by the component that
   * executes, so that it always reaches election before the {@link BatchExecuted} that executes
   * it (one sender, messages in order).
   */
  record RequestAwaited(String txId) implements Signal {
    public RequestAwaited {
      Objects.requireNonNull(txId, "txId");
    }
  }

  /**
   * Block commit → election: block commit handled the {@link BatchCommitted} at {@code seqNo}
   * (executed it, or had executed it before); election stops its view-change timer for the
   * requests in it and counts progress in {@code view} (§4.4, TOCS'02 §4.5.2).
   *
   * @param view the view in which the batch committed (>= 0)
   * @param seqNo n (>= 1)
   * @param txIds the txIds of the batch's requests, in batch order (may be empty: a null request)
   */
  record BatchExecuted(long view, long seqNo, List<String> txIds) implements Signal {
    public BatchExecuted {
      if (view < 0 || seqNo < 1) {
        throw new IllegalArgumentException("view must be >= 0 and seqNo >= 1, got (" + view
            + ", " + seqNo + ")");
      }
      txIds = List.copyOf(txIds);
    }
  }

  /**
   * Election → agreement: the view-change timer expired (or f+1 replicas moved on); the
   * agreement stops accepting PRE-PREPARE, PREPARE and COMMIT of its view, durably, and answers
   * with {@link PreparedCertificatesCollected} (§4.4).
   */
  record ViewChangeRequested(long newView) implements Signal {
    public ViewChangeRequested {
      if (newView < 1) {
        throw new IllegalArgumentException("newView must be >= 1, got " + newView);
      }
    }
  }

  /**
   * Agreement → election: the agreement left its view for {@code newView}; {@code certificates}
   * is P, a prepared certificate from the highest view for every seqNo above
   * {@code lowWatermark} that prepared here (§4.4).
   */
  record PreparedCertificatesCollected(long newView, long lowWatermark,
      List<PreparedCertificate> certificates) implements Signal {
    public PreparedCertificatesCollected {
      certificates = List.copyOf(Objects.requireNonNull(certificates, "certificates"));
    }
  }

  /**
   * Election → block commit: a NEW-VIEW proved a stable checkpoint at {@code seqNo} above this
   * replica's own; if it has not executed up to {@code seqNo} it must fetch that state (state
   * transfer, §4.4 "replicas that are behind min-s"). {@code proof} holds the 2f+1 CHECKPOINTs.
   */
  record StateTransferNeeded(long seqNo, Digest digest, List<Checkpoint> proof) implements Signal {
    public StateTransferNeeded {
      Objects.requireNonNull(digest, "digest");
      proof = List.copyOf(Objects.requireNonNull(proof, "proof"));
    }
  }

  /**
   * Agreement → election: a correctly signed PRE-PREPARE, PREPARE or COMMIT of {@code view}, a
   * view above the one this replica is in or changing to, came from {@code sender}. With f+1
   * distinct senders seen in views >= w, election joins view w (a lagging replica learns the
   * current view, TOCS'02 §4.5).
   */
  record HigherViewSeen(long view, NodeId sender) implements Signal {
    public HigherViewSeen {
      Objects.requireNonNull(sender, "sender");
      if (view < 1) {
        throw new IllegalArgumentException("view must be >= 1, got " + view);
      }
    }
  }

  /**
   * Agreement, block commit → election and agreement: {@code sender} is reachable and in step — a correctly
   * signed message of its (a PRE-PREPARE, PREPARE or COMMIT agreement admitted, or a STATUS whose
   * last executed seqNo is at most L above this replica's) shows it in view {@code view}, at or
   * above this replica's view, and within this replica's watermark window. Election counts distinct senders after a
   * (re)start and runs its view-change timer only once f+1 are in: a replica that reaches no
   * peer yet (a restart still joining the cluster) must not judge the primary, or it starts a
   * view change alone (issue 7). Agreement reports each peer once per start; block commit each
   * STATUS it receives (STATUS flows only while replicas are idle). Agreement counts those in
   * its own view: a (re)started primary proposes only once f+1 confirm that view
   * ({@code AgreementCore#confirmView}).
   */
  record PeerInStep(long view, org.bftlab.core.model.NodeId sender) implements Signal {
    public PeerInStep {
      Objects.requireNonNull(sender, "sender");
      if (view < 0) {
        throw new IllegalArgumentException("view must be >= 0, got " + view);
      }
    }
  }

  /**
   * Agreement → block commit: {@code peer} sent a correctly signed PRE-PREPARE, PREPARE or COMMIT
   * for a seqNo more than L above everything this replica executed, so the peer's low watermark
   * (a stable checkpoint) is at least {@code seqNo}: this replica is behind a checkpoint whose
   * CHECKPOINTs it missed, and fetches the state (OSDI'99 §4.3; the peers' retransmissions are
   * the only thing a replica far behind still receives when no new checkpoint is taken).
   */
  record StateBehind(long seqNo, NodeId peer) implements Signal {
    public StateBehind {
      Objects.requireNonNull(peer, "peer");
    }
  }
  /**
   * Block commit → agreement: {@code peer}'s correctly signed STATUS says it executed only up to
   * {@code lastExecuted}, below this replica. Agreement re-sends it, for every seqNo above
   * {@code lastExecuted} that is committed-local here and quiet, this replica's own
   * PRE-PREPARE (if primary), PREPARE and COMMIT, so that the peer can complete those instances (receiver-
   * initiated retransmission, Castro's thesis §5.2). Needed when the peer forgot messages the
   * others hold from it (a wiped data directory), which {@code helpLaggards} cannot see.
   *
   * @param peer the replica that is behind (never this one)
   * @param lastExecuted its last executed seqNo (>= 0)
   */
  record PeerBehind(NodeId peer, long lastExecuted) implements Signal {
    public PeerBehind {
      Objects.requireNonNull(peer, "peer");
      if (lastExecuted < 0) {
        throw new IllegalArgumentException("lastExecuted must be >= 0, got " + lastExecuted);
      }
    }
  }
}
