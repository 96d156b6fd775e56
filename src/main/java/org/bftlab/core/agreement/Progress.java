package org.bftlab.core.agreement;

import java.util.Optional;
import java.util.Set;
import org.bftlab.core.Decision;
import org.bftlab.core.Output;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent.BatchesDelivered;
import org.bftlab.core.agreement.AgreementEvent.CommittedLocal;
import org.bftlab.core.agreement.AgreementEvent.Prepared;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.quorum.Quorums;

/**
 * The predicates of OSDI'99 §4.2 and in-order delivery. {@code decide} emits the event that
 * accepts a message, settles it into the state and asks {@link #advance} what became true.
 */
final class Progress {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final Quorums quorums;
  private final int commitQuorum;

  Progress(ProtocolParams params, NodeId self, Authenticator auth) {
    this(params, self, auth, Set.of());
  }

  /** With {@code bugs} planted (negative controls only; see {@link PlantedBug}). */
  Progress(ProtocolParams params, NodeId self, Authenticator auth,
      Set<PlantedBug> bugs) {
    this.params = params;
    this.self = self;
    this.auth = auth;
    this.quorums = new Quorums(params.n());
    this.commitQuorum = bugs.contains(PlantedBug.COMMIT_QUORUM_2F) ? quorums.prepare()
        : quorums.commit();
  }

  /**
   * Emits {@code Prepared} (and multicasts this replica's COMMIT) when <em>prepared</em>(m, v, n,
   * i) first holds for {@code seqNo} in {@code view} — the PRE-PREPARE for (v, n, d) and 2f
   * matching PREPAREs from distinct backups — then {@code CommittedLocal} when
   * <em>committed-local</em> first holds — prepared and 2f+1 matching COMMITs from distinct
   * replicas, own included. Each rule reads the state as settled by the rules before it ({@link
   * Decision.Builder#settle()}); the caller settles the accepted message first.
   *
   * <p>{@code passive}: this replica is inside a view change it started alone while the others
   * go on in {@code view}; it follows them without signing anything for {@code view} (its
   * VIEW-CHANGE already stated what it prepared, so it must not prepare or commit anything new,
   * OSDI'99 §4.4), and learns that a batch is committed from the PRE-PREPARE, 2f matching
   * PREPAREs and 2f+1 matching COMMITs of others — which is the <em>committed</em> predicate
   * itself (f+1 correct replicas prepared it).
   *
   * @return true when {@code seqNo} is committed-local afterwards
   */
  boolean advance(AgreementState s, long seqNo, long view, boolean passive,
      Decision.Builder<AgreementEvent> b) {
    Optional<LogEntry> found = s.slot(seqNo).flatMap(sl -> sl.entry(view));
    if (found.isEmpty() || found.get().digest().isEmpty()) {
      return committedLocal(s, seqNo);
    }
    LogEntry e = found.get();
    Digest d = e.digest().get();
    if (!e.isPrepared() && e.matchingPrepares(d) >= quorums.prepare() && passive) {
      b.persist(new Prepared(view, seqNo, d, null));
    } else if (!e.isPrepared() && e.matchingPrepares(d) >= quorums.prepare()) {
      Commit own = Commit.sign(params.clusterId(), view, seqNo, d, self, auth);
      b.persist(new Prepared(view, seqNo, d, own));
      b.output(new Output.Multicast(own));
    }
    b.settle();
    if (e.isPrepared() && !committedLocal(s, seqNo) && e.matchingCommits(d) >= commitQuorum) {
      b.persist(new CommittedLocal(view, seqNo, d));
      b.settle();
    }
    return committedLocal(s, seqNo);
  }

  private static boolean committedLocal(AgreementState s, long seqNo) {
    return s.slot(seqNo).map(Slot::isCommittedLocal).orElse(false);
  }

  /**
   * Hands every committed-local batch after {@code fromExclusive} to block commit, strictly in
   * seqNo order, stopping at the first seqNo that is not committed-local (§4.2: "executes the
   * operation after all requests with lower sequence numbers have been executed").
   */
  void deliver(AgreementState s, long fromExclusive, Decision.Builder<AgreementEvent> b) {
    long upTo = fromExclusive;
    while (true) {
      long next = upTo + 1;
      Slot slot = s.slot(next).orElse(null);
      if (slot == null || !slot.isCommittedLocal()) {
        break;
      }
      PrePrepare pp = slot.committedPrePrepare().orElseThrow();
      b.output(new Output.ToSibling(
          new Signal.BatchCommitted(slot.committedView(), next, pp.digest(), pp.batch())));
      upTo = next;
    }
    if (upTo > fromExclusive) {
      b.persist(new BatchesDelivered(upTo));
    }
  }
}
