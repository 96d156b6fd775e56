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
 * The predicates of OSDI'99 §4.2 and in-order delivery. {@code decide} logs a newly accepted
 * message into a scratch copy of its {@link Slot} and asks {@link #advance} what became true;
 * the scratch copy goes through the same mutators {@code apply} uses, so both agree.
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
   * i) first holds — the PRE-PREPARE for (v, n, d) and 2f matching PREPAREs from distinct backups
   * — then {@code CommittedLocal} when <em>committed-local</em> first holds — prepared and 2f+1
   * matching COMMITs from distinct replicas, own included. Updates {@code scratch} likewise.
   *
   * <p>{@code passive}: this replica is inside a view change it started alone while the others
   * go on in {@code view}; it follows them without signing anything for {@code view} (its
   * VIEW-CHANGE already stated what it prepared, so it must not prepare or commit anything new,
   * OSDI'99 §4.4), and learns that a batch is committed from the PRE-PREPARE, 2f matching
   * PREPAREs and 2f+1 matching COMMITs of others — which is the <em>committed</em> predicate
   * itself (f+1 correct replicas prepared it).
   *
   * @return true when {@code scratch} is committed-local afterwards
   */
  boolean advance(Slot scratch, long view, Decision.Builder<AgreementEvent> b) {
    return advance(scratch, view, false, b);
  }

  boolean advance(Slot scratch, long view, boolean passive, Decision.Builder<AgreementEvent> b) {
    Optional<LogEntry> found = scratch.entry(view);
    if (found.isEmpty() || found.get().digest().isEmpty()) {
      return scratch.isCommittedLocal();
    }
    LogEntry e = found.get();
    Digest d = e.digest().get();
    long n = scratch.seqNo();
    if (!e.isPrepared() && e.matchingPrepares(d) >= quorums.prepare() && passive) {
      b.persist(new Prepared(view, n, d, null));
      e.markPrepared(null);
    } else if (!e.isPrepared() && e.matchingPrepares(d) >= quorums.prepare()) {
      Commit own = Commit.sign(params.clusterId(), view, n, d, self, auth);
      b.persist(new Prepared(view, n, d, own));
      e.markPrepared(own);
      b.output(new Output.Multicast(own));
    }
    if (e.isPrepared() && !scratch.isCommittedLocal() && e.matchingCommits(d) >= commitQuorum) {
      b.persist(new CommittedLocal(view, n, d));
      scratch.markCommitted(view, d);
    }
    return scratch.isCommittedLocal();
  }

  /**
   * Hands every committed-local batch after {@code fromExclusive} to block commit, strictly in
   * seqNo order, stopping at the first seqNo that is not committed-local (§4.2: "executes the
   * operation after all requests with lower sequence numbers have been executed"). {@code
   * scratch}, if not null, stands in for the state's slot with the same seqNo.
   */
  void deliver(AgreementState s, long fromExclusive, Slot scratch,
      Decision.Builder<AgreementEvent> b) {
    long upTo = fromExclusive;
    while (true) {
      long next = upTo + 1;
      Slot slot = scratch != null && scratch.seqNo() == next ? scratch
          : s.slot(next).orElse(null);
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
