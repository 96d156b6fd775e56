package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bftlab.core.agreement.AgreementEvent.BatchesDelivered;
import org.bftlab.core.agreement.AgreementEvent.CommitAccepted;
import org.bftlab.core.agreement.AgreementEvent.CommittedLocal;
import org.bftlab.core.agreement.AgreementEvent.LowWatermarkAdvanced;
import org.bftlab.core.agreement.AgreementEvent.PoolHandedOver;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareSent;
import org.bftlab.core.agreement.AgreementEvent.PrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.Prepared;
import org.bftlab.core.agreement.AgreementEvent.RequestQueued;
import org.bftlab.core.agreement.AgreementEvent.ResentToPeer;
import org.bftlab.core.agreement.AgreementEvent.Retransmitted;
import org.bftlab.core.agreement.AgreementEvent.Ticked;
import org.bftlab.core.agreement.AgreementEvent.ViewInstalled;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;

/**
 * The agreement component's state: view, watermarks h and H = h + L, the message log, the next
 * sequence number to assign, delivery progress, the primary's pool and the tick count.
 *
 * <p>Mutated only by {@link #apply(AgreementEvent)} (through {@link AgreementCore#apply});
 * everything public is a read-only getter. Durable fields are rebuilt from persisted events;
 * volatile ones (tick count, pool, delivery progress, progress ticks) restart from their initial
 * values, except that delivery restarts at h.
 */
public final class AgreementState {
  private final int watermarkWindow;
  private long view;
  private long viewChangeTarget;
  private long low;
  private long nextSeqNo = 1;
  private long lastDelivered;
  private long now;
  private final TreeMap<Long, Slot> log = new TreeMap<>();
  private final Set<String> txIdsInLog = new HashSet<>();
  private final Batcher pool = new Batcher();
  private final LinkedHashMap<String, Request> held = new LinkedHashMap<>();
  private final Set<ResentToPeer> resent = new HashSet<>();
  /** (seqNo, peer) → tick this replica last helped that laggard with seqNo (volatile). */
  private final Map<ResentToPeer, Long> helped = new HashMap<>();
  private final List<ReplicaMessage> deferred = new ArrayList<>();
  /** txIds accepted here from clients as a backup (volatile; pruned to the held ones). */
  private final Set<String> acceptedHere = new HashSet<>();
  /** Accepted here and held at the last re-send round (volatile). */
  private final Set<String> heldAtLastRound = new HashSet<>();
  private long lastHeldRound;
  /** Peers reported to election as in step since the (re)start (volatile; at most n - 1). */
  private final Set<NodeId> reported = new HashSet<>();
  private boolean reportingPeers;
  /** False from a (re)start until f+1 peers are heard in this replica's view (volatile). */
  private boolean viewConfirmed = true;
  /** Peers heard in this replica's view since the (re)start, while not confirmed (volatile). */
  private final Set<NodeId> peersInView = new HashSet<>();
  /** seqNo → header of O whose batch this replica lacks (TOCS'02 §6.2.1). */
  private final TreeMap<Long, PrePrepareHeader> awaitingBatch = new TreeMap<>();
  /** seqNo → tick of the last FETCH-BATCH for it (volatile). */
  private final Map<Long, Long> batchAskedAt = new HashMap<>();
  /** (seqNo, peer) → tick this replica last answered that peer's FETCH-BATCH (volatile). */
  private final Map<ResentToPeer, Long> batchServed = new HashMap<>();

  AgreementState(int watermarkWindow) {
    this.watermarkWindow = watermarkWindow;
  }

  /** The current view v. */
  public long view() {
    return view;
  }

  /**
   * True between leaving the current view for a view change and installing a new view (§4.4):
   * no PRE-PREPARE, PREPARE or COMMIT is accepted meanwhile.
   */
  public boolean viewChangeInProgress() {
    return viewChangeTarget > view;
  }

  /** The view this replica is changing to; equals {@link #view()} when no change is in progress. */
  public long viewChangeTarget() {
    return Math.max(view, viewChangeTarget);
  }

  /** Requests this replica holds as a backup (forwarded, not yet pre-prepared here). */
  public int heldRequests() {
    return held.size();
  }

  /**
   * False from a restart with a non-empty journal ({@code recover}) until f+1 distinct peers were heard in step in this
   * replica's current view, or a new view was installed here: until then a replica that is the
   * primary of its view by its own journal proposes nothing and holds the client requests it
   * takes (its view may be stale). True for a core that never restarted, and at a first start
   * (an empty journal: view 0 at genesis, where no peer can be ahead).
   */
  public boolean viewConfirmed() {
    return viewConfirmed;
  }

  /** h: the sequence number of the last stable checkpoint (0 at genesis). */
  public long lowWatermark() {
    return low;
  }

  /** H = h + L: no sequence number above it is accepted or assigned. */
  public long highWatermark() {
    return low + watermarkWindow;
  }

  /** The highest seqNo handed to block commit (every lower one was handed first); >= h. */
  public long lastDeliveredSeqNo() {
    return lastDelivered;
  }

  /** The sequence number the primary assigns next; greater than every one it has assigned. */
  public long nextSeqNo() {
    return nextSeqNo;
  }

  /** Requests in the primary's pool, not yet proposed. */
  public int pendingRequests() {
    return pool.size();
  }

  /** Ticks seen since start (volatile: 0 after a restart). */
  public long now() {
    return now;
  }

  /** The log for {@code seqNo}, if anything is logged for it above h. */
  public Optional<Slot> slot(long seqNo) {
    return Optional.ofNullable(log.get(seqNo));
  }

  /** Every slot above h, in seqNo order (read-only). */
  public Collection<Slot> slots() {
    return Collections.unmodifiableCollection(log.values());
  }

  /** True when this replica holds {@code txId} as a backup. */
  public boolean holds(String txId) {
    return held.containsKey(txId);
  }

  /** True when {@code txId} is in a batch that became committed-local here above h. */
  public boolean committedTx(String txId) {
    if (!txIdsInLog.contains(txId)) {
      return false;
    }
    for (Slot s : log.values()) {
      if (s.committedPrePrepare().map(pp -> pp.batch().stream()
          .anyMatch(r -> r.txId().equals(txId))).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The headers of the installed view's O whose batch this replica lacks, in seqNo order: it
   * sends no PREPARE for them until the batch is fetched (TOCS'02 §6.2.1).
   */
  public Collection<PrePrepareHeader> awaitingBatch() {
    return Collections.unmodifiableCollection(awaitingBatch.values());
  }

  /**
   * The batch with digest {@code d}, if a PRE-PREPARE logged here above h (any view, any seqNo)
   * carries it; the null request's batch (empty) always.
   */
  public Optional<List<Request>> batchFor(Digest d) {
    if (d.equals(PrePrepare.batchDigest(List.of()))) {
      return Optional.of(List.of());
    }
    for (Slot s : log.values()) {
      for (LogEntry e : s.entries()) {
        if (e.prePrepare().isPresent() && e.prePrepare().get().digest().equals(d)) {
          return Optional.of(e.prePrepare().get().batch());
        }
      }
    }
    return Optional.empty();
  }

  /** True when {@code txId} is pending at the primary or in a PRE-PREPARE logged above h. */
  public boolean knowsTx(String txId) {
    return pool.contains(txId) || txIdsInLog.contains(txId);
  }

  // ---- package-private, for the core --------------------------------------------------------

  int watermarkWindow() {
    return watermarkWindow;
  }

  List<Batcher.Queued> poolSnapshot() {
    return pool.snapshot();
  }

  /** The requests held as a backup, oldest first. */
  List<Request> heldSnapshot() {
    return List.copyOf(held.values());
  }

  /**
   * The requests a view change to a view with min-s {@code stableSeqNo} and O {@code o} would
   * orphan: those of every PRE-PREPARE logged above max(h, min-s) in a slot that is not
   * committed-local here, minus the requests of O and of committed-local slots, oldest seqNo
   * first, each once. They were pre-prepared in an earlier view but did not prepare at 2f+1
   * replicas, so O carries a null request (or another batch) at their seqNo (§4.4) and, unless
   * someone re-submits them, no primary ever proposes them again: installing the view holds them
   * again, to hand them to the new primary (or to propose them, at the new primary).
   */
  List<Request> orphanedBy(long stableSeqNo, List<PrePrepare> o) {
    long from = Math.max(low, stableSeqNo);
    Set<String> settled = new HashSet<>();
    o.forEach(pp -> pp.batch().forEach(r -> settled.add(r.txId())));
    for (Slot s : log.values()) {
      s.committedPrePrepare().ifPresent(pp -> pp.batch().forEach(r -> settled.add(r.txId())));
    }
    LinkedHashMap<String, Request> out = new LinkedHashMap<>();
    for (Slot s : log.tailMap(from, false).values()) {
      if (s.isCommittedLocal()) {
        continue;
      }
      for (LogEntry e : s.entries()) {
        e.prePrepare().ifPresent(pp -> pp.batch().stream()
            .filter(r -> !settled.contains(r.txId()))
            .forEach(r -> out.putIfAbsent(r.txId(), r)));
      }
    }
    return List.copyOf(out.values());
  }

  /** Messages set aside until the low watermark advances (volatile), in arrival order. */
  List<ReplicaMessage> deferred() {
    return Collections.unmodifiableList(deferred);
  }

  /** Requests accepted here from clients and still held, oldest first. */
  List<Request> heldAcceptedHere() {
    return held.values().stream().filter(r -> acceptedHere.contains(r.txId())).toList();
  }

  /** True when {@code txId} was accepted here and held at the last re-send round. */
  boolean heldAtLastRound(String txId) {
    return heldAtLastRound.contains(txId);
  }

  /** The tick of the last re-send round of held requests (0 before the first). */
  long lastHeldRound() {
    return lastHeldRound;
  }

  /** Peers heard in this replica's view since the (re)start, while it is not confirmed. */
  Set<NodeId> peersInView() {
    return Collections.unmodifiableSet(peersInView);
  }

  /** True when {@code peer} need not be reported to election (again) as in step. */
  boolean reported(NodeId peer) {
    return !reportingPeers || reported.contains(peer);
  }

  /** The tick of the last FETCH-BATCH for {@code seqNo}, or -1. */
  long batchAskedAt(long seqNo) {
    return batchAskedAt.getOrDefault(seqNo, -1L);
  }

  /** The tick at which {@code to}'s FETCH-BATCH for {@code seqNo} was last answered, or -1. */
  long batchServedAt(long seqNo, NodeId to) {
    return batchServed.getOrDefault(new ResentToPeer(seqNo, to), -1L);
  }

  boolean alreadyResent(long seqNo, NodeId to) {
    return resent.contains(new ResentToPeer(seqNo, to));
  }

  /** The tick at which laggard {@code to} was last helped with {@code seqNo}, or -1. */
  long lastHelped(long seqNo, NodeId to) {
    return helped.getOrDefault(new ResentToPeer(seqNo, to), -1L);
  }

  /** Applies one event; the only state transition. @throws IllegalStateException on equivocation */
  void apply(AgreementEvent event) {
    if (event instanceof PrePrepareSent e) {
      PrePrepare pp = e.pp();
      if (pp.seqNo() < nextSeqNo) {
        throw new IllegalStateException("primary would assign seqNo " + pp.seqNo()
            + " twice (next is " + nextSeqNo + ")");
      }
      logPrePrepare(pp).touch(now);
      nextSeqNo = pp.seqNo() + 1;
      pool.removeAll(pp.batch());
      pp.batch().forEach(r -> unhold(r.txId()));
    } else if (event instanceof PrePrepareAccepted e) {
      Slot s = logPrePrepare(e.pp());
      s.entryFor(e.pp().view()).logOwnPrepare(e.ownPrepare());
      s.touch(now);
      awaitingBatch.computeIfPresent(e.pp().seqNo(),
          (n, h) -> h.view() == e.pp().view() ? null : h);
      nextSeqNo = Math.max(nextSeqNo, e.pp().seqNo() + 1);
      pool.removeAll(e.pp().batch());
      e.pp().batch().forEach(r -> unhold(r.txId()));
    } else if (event instanceof PrepareAccepted e) {
      Slot s = slotFor(e.p().seqNo());
      s.entryFor(e.p().view()).logPrepare(e.p());
      s.touch(now);
    } else if (event instanceof Prepared e) {
      Slot s = slotFor(e.seqNo());
      LogEntry entry = s.entryFor(e.view());
      if (!entry.digest().map(e.digest()::equals).orElse(false)) {
        throw new IllegalStateException("prepared (v=" + e.view() + ", n=" + e.seqNo()
            + ") without a matching PRE-PREPARE in the log");
      }
      entry.markPrepared(e.ownCommit());
      s.touch(now);
    } else if (event instanceof CommitAccepted e) {
      Slot s = slotFor(e.c().seqNo());
      s.entryFor(e.c().view()).logCommit(e.c());
      s.touch(now);
    } else if (event instanceof CommittedLocal e) {
      Slot s = slotFor(e.seqNo());
      s.markCommitted(e.view(), e.digest());
      s.touch(now);
    } else if (event instanceof ViewInstalled e) {
      installView(e);
    } else if (event instanceof AgreementEvent.ViewChangeEntered e) {
      viewChangeTarget = Math.max(viewChangeTarget, e.newView());
    } else if (event instanceof LowWatermarkAdvanced e) {
      advanceLow(e.seqNo());
    } else if (event instanceof Ticked e) {
      now = e.now();
    } else if (event instanceof RequestQueued e) {
      pool.add(e.request(), e.atTick());
    } else if (event instanceof PoolHandedOver) {
      pool.snapshot().forEach(q -> held.putIfAbsent(q.request().txId(), q.request()));
      pool.clear();
    } else if (event instanceof AgreementEvent.RequestHeld e) {
      held.putIfAbsent(e.request().txId(), e.request());
    } else if (event instanceof AgreementEvent.PoolAdopted) {
      held.values().forEach(r -> pool.add(r, now));
      held.clear();
      acceptedHere.clear();
    } else if (event instanceof BatchesDelivered e) {
      lastDelivered = Math.max(lastDelivered, e.upTo());
    } else if (event instanceof Retransmitted e) {
      e.seqNos().forEach(n -> slot(n).ifPresent(s -> s.touch(e.atTick())));
    } else if (event instanceof ResentToPeer e) {
      resent.add(e);
    } else if (event instanceof AgreementEvent.LaggardHelped e) {
      helped.put(new ResentToPeer(e.seqNo(), e.to()), e.atTick());
    } else if (event instanceof AgreementEvent.BatchRequested e) {
      e.seqNos().forEach(n -> batchAskedAt.put(n, e.atTick()));
    } else if (event instanceof AgreementEvent.BatchServed e) {
      batchServed.put(new ResentToPeer(e.seqNo(), e.to()), e.atTick());
    } else if (event instanceof AgreementEvent.Deferred e) {
      deferred.add(e.message());
    } else if (event instanceof AgreementEvent.RequestForwarded e) {
      acceptedHere.add(e.txId());
    } else if (event instanceof AgreementEvent.HeldRequestsResent e) {
      lastHeldRound = e.atTick();
      heldAtLastRound.clear();
      heldAtLastRound.addAll(e.candidates());
      acceptedHere.retainAll(held.keySet());
    } else if (event instanceof AgreementEvent.PeersReporting) {
      reportingPeers = true;
      reported.clear();
    } else if (event instanceof AgreementEvent.ViewUnconfirmed) {
      viewConfirmed = false;
      peersInView.clear();
    } else if (event instanceof AgreementEvent.PeerInViewNoted e) {
      peersInView.add(e.peer());
    } else if (event instanceof AgreementEvent.ViewConfirmed) {
      viewConfirmed = true;
      peersInView.clear();
    } else if (event instanceof AgreementEvent.HeldUntilViewConfirmed e) {
      acceptedHere.add(e.txId());
    } else if (event instanceof AgreementEvent.PeerReported e) {
      reported.add(e.peer());
    } else if (event instanceof AgreementEvent.HeldDropped) {
      // requests relayed by a peer: that peer holds them still; those accepted here may exist
      // nowhere else (their relay may have been lost), so they stay until pre-prepared
      held.keySet().retainAll(acceptedHere);
    } else if (event instanceof AgreementEvent.DeferredReleased e) {
      deferred.removeIf(m -> seqNoOf(m) <= e.upTo() && viewOf(m) <= view);
    } else if (!(event instanceof AgreementEvent.RequestForwarded
        || event instanceof AgreementEvent.Rejected)) { // trace only
      throw new IllegalArgumentException("AgreementState.apply has no rule for "
          + event.getClass().getSimpleName());
    }
  }

  private void unhold(String txId) {
    held.remove(txId);
    acceptedHere.remove(txId);
  }

  /** True when nothing accepted here or held waits for a re-send round. */
  boolean noHeldRound() {
    return held.isEmpty() && acceptedHere.isEmpty() && heldAtLastRound.isEmpty();
  }

  /** The seqNo of a PRE-PREPARE, PREPARE or COMMIT; 0 for other messages. */
  static long seqNoOf(ReplicaMessage m) {
    if (m instanceof PrePrepare pp) {
      return pp.seqNo();
    } else if (m instanceof Prepare p) {
      return p.seqNo();
    } else if (m instanceof Commit c) {
      return c.seqNo();
    }
    return 0;
  }

  /** The view of a PRE-PREPARE, PREPARE or COMMIT; -1 for other messages. */
  static long viewOf(ReplicaMessage m) {
    if (m instanceof PrePrepare pp) {
      return pp.view();
    } else if (m instanceof Prepare p) {
      return p.view();
    } else if (m instanceof Commit c) {
      return c.view();
    }
    return -1;
  }

  private Slot slotFor(long seqNo) {
    if (seqNo <= low) {
      throw new IllegalStateException("seqNo " + seqNo + " is at or below h=" + low);
    }
    return log.computeIfAbsent(seqNo, n -> new Slot(n, now));
  }

  private Slot logPrePrepare(PrePrepare pp) {
    Slot s = slotFor(pp.seqNo());
    s.entryFor(pp.view()).logPrePrepare(pp);
    pp.batch().forEach(r -> txIdsInLog.add(r.txId()));
    return s;
  }

  /**
   * §4.4, a replica entering v+1: advance h to min-s, discard uncommitted slots above max-s, log
   * O and the own PREPAREs, and let the primary assign from max-s + 1.
   */
  private void installView(ViewInstalled e) {
    if (e.view() <= view) {
      return;
    }
    orphanedBy(e.stableSeqNo(), e.prePrepares()).forEach(r -> held.putIfAbsent(r.txId(), r));
    view = e.view();
    viewConfirmed = true; // a NEW-VIEW proves 2f+1 replicas moved to this view
    peersInView.clear();
    advanceLow(e.stableSeqNo());
    long maxS = Math.max(low, e.stableSeqNo());
    for (PrePrepare pp : e.prePrepares()) {
      maxS = Math.max(maxS, pp.seqNo());
    }
    for (PrePrepareHeader h : e.awaitingBatch()) {
      maxS = Math.max(maxS, h.seqNo());
    }
    for (Slot s : log.values()) {
      if (s.isCommittedLocal()) {
        maxS = Math.max(maxS, s.seqNo());
      }
    }
    log.tailMap(maxS, false).values().removeIf(s -> !s.isCommittedLocal());
    for (PrePrepare pp : e.prePrepares()) {
      logPrePrepare(pp).touch(now);
      pp.batch().forEach(r -> unhold(r.txId()));
      pool.removeAll(pp.batch());
    }
    for (Prepare p : e.ownPrepares()) {
      slotFor(p.seqNo()).entryFor(p.view()).logOwnPrepare(p);
    }
    awaitingBatch.clear();
    batchAskedAt.clear();
    for (PrePrepareHeader h : e.awaitingBatch()) {
      if (h.seqNo() > low) {
        awaitingBatch.put(h.seqNo(), h);
      }
    }
    nextSeqNo = maxS + 1;
    recomputeTxIds();
  }

  /** txIds of the newest PRE-PREPARE logged for every slot above h. */
  private void recomputeTxIds() {
    txIdsInLog.clear();
    for (Slot s : log.values()) {
      LogEntry newest = null;
      for (LogEntry e : s.entries()) {
        if (e.prePrepare().isPresent()) {
          newest = e;
        }
      }
      if (newest != null) {
        newest.prePrepare().get().batch().forEach(r -> txIdsInLog.add(r.txId()));
      }
    }
  }

  private void advanceLow(long seqNo) {
    if (seqNo <= low) {
      return;
    }
    low = seqNo;
    lastDelivered = Math.max(lastDelivered, seqNo);
    nextSeqNo = Math.max(nextSeqNo, seqNo + 1);
    log.headMap(seqNo, true).clear();
    resent.removeIf(r -> r.seqNo() <= seqNo);
    helped.keySet().removeIf(r -> r.seqNo() <= seqNo);
    awaitingBatch.headMap(seqNo, true).clear();
    batchAskedAt.keySet().removeIf(n -> n <= seqNo);
    batchServed.keySet().removeIf(r -> r.seqNo() <= seqNo);
    recomputeTxIds();
  }
}
