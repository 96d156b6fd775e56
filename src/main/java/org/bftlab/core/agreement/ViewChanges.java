package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bftlab.core.Decision;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent.PoolAdopted;
import org.bftlab.core.agreement.AgreementEvent.PoolHandedOver;
import org.bftlab.core.agreement.AgreementEvent.ViewChangeEntered;
import org.bftlab.core.agreement.AgreementEvent.ViewInstalled;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.quorum.Quorums;

/**
 * The agreement's part of the view change (OSDI'99 §4.4), the part that needs the message log:
 * leaving the view and collecting P, and entering the new view with O. The election component
 * drives it with {@link Signal.ViewChangeRequested} and {@link Signal.ViewInstalled}.
 */
final class ViewChanges {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final Progress progress;
  private final int prepareQuorum;
  private final BatchFetch batchFetch;

  ViewChanges(ProtocolParams params, NodeId self, Authenticator auth, Progress progress,
      BatchFetch batchFetch) {
    this.params = params;
    this.self = self;
    this.auth = auth;
    this.progress = progress;
    this.batchFetch = batchFetch;
    this.prepareQuorum = new Quorums(params.n()).prepare();
  }

  /**
   * §4.4: "replica i ... stops accepting messages (other than checkpoint, view-change, and
   * new-view messages)" — persisted as {@link ViewChangeEntered} — and hands P to election. A
   * repeated request for the same (or a lower, still pending) view is answered again with P.
   */
  void onViewChangeRequested(AgreementState s, long newView, Decision.Builder<AgreementEvent> b) {
    if (newView <= s.view()) {
      return;
    }
    if (newView > s.viewChangeTarget()) {
      b.persist(new ViewChangeEntered(newView));
    }
    b.output(new Output.ToSibling(new Signal.PreparedCertificatesCollected(
        Math.max(newView, s.viewChangeTarget()), s.lowWatermark(), certificates(s))));
  }

  /**
   * P (§4.4): for every seqNo above h that prepared here, the PRE-PREPARE of the highest view in
   * which it prepared — its header, without the batch (TOCS'02 §5.1) — and 2f matching PREPAREs
   * from distinct backups of that view. At most L certificates of 2f+1 signed headers each,
   * whatever the batch size ({@link org.bftlab.core.msg.ViewChange#maxCborBytes}).
   */
  List<PreparedCertificate> certificates(AgreementState s) {
    List<PreparedCertificate> out = new ArrayList<>();
    for (Slot slot : s.slots()) {
      LogEntry best = null;
      for (LogEntry e : slot.entries()) {
        if (e.isPrepared() && e.prePrepare().isPresent()) {
          best = e;
        }
      }
      if (best == null) {
        continue;
      }
      PrePrepare pp = best.prePrepare().get();
      NodeId primary = params.primary(best.view());
      List<Prepare> prepares = best.prepares().values().stream()
          .filter(p -> p.digest().equals(pp.digest()) && !p.sender().equals(primary))
          .sorted(Comparator.comparing(Prepare::sender))
          .limit(prepareQuorum)
          .toList();
      if (prepares.size() == prepareQuorum) {
        out.add(new PreparedCertificate(pp.header(), prepares));
      }
    }
    return out;
  }

  /**
   * §4.4, entering v+1 after a valid NEW-VIEW: h advances to min-s, the PRE-PREPAREs of O are
   * logged and a backup multicasts its PREPAREs for them (persisted first, in {@link
   * ViewInstalled}). O carries headers: the batch of each is looked up here by digest (logged in
   * an earlier view); a header whose batch is not held is logged as awaiting it, gets no PREPARE
   * yet and is fetched from the peers ({@link BatchFetch}, TOCS'02 §6.2.1). Requests held here go to the new primary, or into the pool when this replica
   * is that primary; messages of the new view deferred meanwhile are re-examined.
   */
  void onViewInstalled(AgreementState s, Signal.ViewInstalled vi,
      Decision.Builder<AgreementEvent> b) {
    if (vi.view() <= s.view()) {
      return;
    }
    // below the view this replica is changing to: installed passively (see ElectionCore), no
    // PREPARE for O, and the view change stays in progress (viewChangeTarget is kept)
    boolean passive = vi.view() < s.viewChangeTarget();
    long newLow = Math.max(s.lowWatermark(), vi.stableSeqNo());
    long newHigh = newLow + params.watermarkWindow();
    boolean primary = self.equals(vi.primary());
    BatchFetch.Split split = batchFetch.split(s, vi.prePrepares().stream()
        .filter(pp -> pp.view() == vi.view() && pp.seqNo() > newLow && pp.seqNo() <= newHigh)
        .toList());
    List<PrePrepare> o = split.held();
    List<Prepare> own = primary || passive ? List.of() : o.stream()
        .map(pp -> Prepare.sign(params.clusterId(), pp.view(), pp.seqNo(), pp.digest(), self, auth))
        .toList();
    b.persist(new ViewInstalled(vi.view(), vi.stableSeqNo(), o, own, split.missing()));
    own.forEach(p -> b.output(new Output.Multicast(p)));
    progress.deliver(s, Math.max(s.lastDeliveredSeqNo(), newLow), b);

    // §4.4 with TOCS'02 §4.5.2: requests pre-prepared in an earlier view that did not survive
    // into O are held again (ViewInstalled's apply), so that the new primary proposes them
    List<Request> orphans = s.orphanedBy(vi.stableSeqNo(), o);
    if (primary) {
      if (s.heldRequests() > 0 || !orphans.isEmpty()) {
        b.persist(new PoolAdopted(s.heldRequests() + orphans.size()));
      }
    } else {
      Map<String, Request> handOver = new LinkedHashMap<>();
      s.heldSnapshot().forEach(r -> handOver.putIfAbsent(r.txId(), r));
      orphans.forEach(r -> handOver.putIfAbsent(r.txId(), r));
      List<Request> fromPool = new ArrayList<>();
      for (Batcher.Queued q : s.poolSnapshot()) {
        if (handOver.putIfAbsent(q.request().txId(), q.request()) == null) {
          fromPool.add(q.request());
        }
      }
      o.forEach(pp -> pp.batch().forEach(r -> handOver.remove(r.txId())));
      if (!handOver.isEmpty()) {
        b.persist(new PoolHandedOver(vi.primary(), handOver.size()));
        handOver.values().forEach(r -> b.output(new Output.Send(vi.primary(), r)));
        // the old primary is a backup now: it waits for its former pool to execute, and every
        // backup for the orphans it holds again
        fromPool.forEach(r -> b.output(new Output.ToSibling(new Signal.RequestPending(r.txId()))));
        orphans.forEach(r -> b.output(new Output.ToSibling(new Signal.RequestPending(r.txId()))));
      }
    }
    List<ReplicaMessage> released = s.deferred().stream()
        .filter(m -> AgreementState.viewOf(m) <= vi.view()
            && AgreementState.seqNoOf(m) <= newHigh)
        .toList();
    if (!released.isEmpty()) {
      b.persist(new AgreementEvent.DeferredReleased(newHigh));
      released.forEach(m -> b.output(new Output.Send(self, m)));
    }
    if (!split.missing().isEmpty()) {
      b.settle();
      batchFetch.ask(s, s.now(), false, b);
    }
  }

  /** After a restart inside a view change: P again, for election to resend (never re-sign). */
  void recover(AgreementState s, Decision.Builder<AgreementEvent> b) {
    if (s.viewChangeInProgress()) {
      b.output(new Output.ToSibling(new Signal.PreparedCertificatesCollected(
          s.viewChangeTarget(), s.lowWatermark(), certificates(s))));
    }
  }
}
