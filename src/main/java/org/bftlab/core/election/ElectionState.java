package org.bftlab.core.election;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.core.election.ElectionEvent.NewViewSent;
import org.bftlab.core.election.ElectionEvent.RequestPendingNoted;
import org.bftlab.core.election.ElectionEvent.RequestsExecuted;
import org.bftlab.core.election.ElectionEvent.StableCheckpointNoted;
import org.bftlab.core.election.ElectionEvent.Ticked;
import org.bftlab.core.election.ElectionEvent.TimerExpired;
import org.bftlab.core.election.ElectionEvent.TimerStarted;
import org.bftlab.core.election.ElectionEvent.TimerStopped;
import org.bftlab.core.election.ElectionEvent.ViewChangeAccepted;
import org.bftlab.core.election.ElectionEvent.ViewChangeJoined;
import org.bftlab.core.election.ElectionEvent.ViewChangeResent;
import org.bftlab.core.election.ElectionEvent.ViewChangeStarted;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.ViewChange;

/**
 * The election component's state (OSDI'99 §4.4). Mutated only by {@link #apply}; everything
 * public is a read-only getter.
 *
 * <p>Durable (rebuilt from the journal): the installed view, the view being changed to, this
 * replica's own VIEW-CHANGE and NEW-VIEW, the O of the installed view, the latest stable
 * checkpoint with its proof. Volatile (fresh after a restart): the tick count, the requests this
 * backup waits for, the timer, the count of view changes without progress, peers' VIEW-CHANGEs.
 */
public final class ElectionState {
  private long view;
  private long pendingView;
  private ViewChange ownViewChange;
  private NewView newViewSent;
  private long installedMinS;
  private List<PrePrepareHeader> installedO = List.of();
  private long stableSeqNo;
  private Digest stableDigest = Digest.ZERO;
  private List<Checkpoint> stableProof = List.of();

  private long now;
  /** txId → tick at which this backup started waiting for it, oldest first (volatile). */
  private final Map<String, Long> pending = new LinkedHashMap<>();
  private long timerStart = -1;
  private long timerTimeout;
  private String timerFor = "";
  private int failures;
  private long lastExecuted;
  private long requestedView;
  private long lastViewChangeSentAt;
  private final TreeMap<Long, Map<NodeId, ViewChange>> received = new TreeMap<>();
  /** Peer → highest view above the installed one it was seen in (volatile; at most n - 1). */
  private final Map<NodeId, Long> higherViews = new HashMap<>();
  /** After a (re)start, until f+1 peers are heard in step: no normal-case timer (volatile). */
  private boolean awaitingPeers;
  /** Peers heard in step since the (re)start (volatile; at most n - 1). */
  private final Set<NodeId> peersHeard = new java.util.TreeSet<>();

  ElectionState() {}

  // ---- getters (status API) -------------------------------------------------------------------

  /** The installed view v. */
  public long view() {
    return view;
  }

  /** True after this replica sent a VIEW-CHANGE for a view it has not yet installed. */
  public boolean viewChangeInProgress() {
    return pendingView > view;
  }

  /** The view this replica is changing to; equals {@link #view()} when none is in progress. */
  public long pendingView() {
    return Math.max(view, pendingView);
  }

  /** This replica's own VIEW-CHANGE for {@link #pendingView()}, if it sent one. */
  public Optional<ViewChange> ownViewChange() {
    return Optional.ofNullable(ownViewChange).filter(vc -> vc.newView() == pendingView());
  }

  /** The NEW-VIEW this replica sent as primary of the installed view, if any. */
  public Optional<NewView> newViewSent() {
    return Optional.ofNullable(newViewSent).filter(nv -> nv.view() == view);
  }

  /** min-s of the installed view's NEW-VIEW (0 for view 0). */
  public long installedStableSeqNo() {
    return installedMinS;
  }

  /** O of the installed view's NEW-VIEW (empty for view 0). */
  public List<PrePrepareHeader> installedPrePrepares() {
    return installedO;
  }

  /** n of the latest stable checkpoint with a proof (0 when none). */
  public long stableSeqNo() {
    return stableSeqNo;
  }

  /** d of the latest stable checkpoint ({@link Digest#ZERO} when none). */
  public Digest stableDigest() {
    return stableDigest;
  }

  /** C: the 2f+1 CHECKPOINTs proving {@link #stableSeqNo()} (empty when none). */
  public List<Checkpoint> stableProof() {
    return stableProof;
  }

  /** Ticks seen since start (volatile). */
  public long now() {
    return now;
  }

  /** txIds of the requests this backup waits for (volatile). */
  public Set<String> pendingRequests() {
    return Collections.unmodifiableSet(pending.keySet());
  }

  /** The tick at which this backup started waiting for its oldest pending request, or -1. */
  public long oldestPendingSince() {
    return pending.isEmpty() ? -1 : pending.values().iterator().next();
  }

  /** True when the view-change timer runs. */
  public boolean timerRunning() {
    return timerStart >= 0;
  }

  /** The tick at which the running timer expires; -1 when it is stopped. */
  public long timerDeadline() {
    return timerStart < 0 ? -1 : timerStart + timerTimeout;
  }

  /** View changes started since the last progress (volatile); the timeout doubles with it. */
  public int viewChangesWithoutProgress() {
    return failures;
  }

  /**
   * The highest seqNo executed here that election saw, from {@link
   * org.bftlab.core.Signal.BatchExecuted} or a stable checkpoint (volatile).
   */
  public long lastExecutedSeqNo() {
    return lastExecuted;
  }

  /**
   * True after a (re)start until f+1 peers were heard in step: the view-change timer does not
   * run for pending requests meanwhile (volatile).
   */
  public boolean awaitingPeers() {
    return awaitingPeers;
  }

  /** Peers heard in step since the (re)start while {@link #awaitingPeers()} (read-only). */
  public Set<NodeId> peersHeard() {
    return Collections.unmodifiableSet(peersHeard);
  }

  // ---- package-private, for the core ----------------------------------------------------------

  long timerStartedAt() {
    return timerStart;
  }

  long timerTimeout() {
    return timerTimeout;
  }

  String timerFor() {
    return timerFor;
  }

  long requestedView() {
    return Math.max(requestedView, pendingView());
  }

  long lastViewChangeSentAt() {
    return lastViewChangeSentAt;
  }

  /** Peers' valid VIEW-CHANGEs for {@code newView}, by sender (read-only). */
  Map<NodeId, ViewChange> viewChangesFor(long newView) {
    Map<NodeId, ViewChange> m = received.get(newView);
    return m == null ? Map.of() : Collections.unmodifiableMap(m);
  }

  /** Peers' valid VIEW-CHANGEs for views above {@code view}, by view (read-only). */
  Map<Long, Map<NodeId, ViewChange>> viewChangesAbove(long view) {
    return Collections.unmodifiableMap(received.tailMap(view, false));
  }

  /** Peers seen in views above the installed one: sender → highest such view (read-only). */
  Map<NodeId, Long> higherViews() {
    return Collections.unmodifiableMap(higherViews);
  }

  /** Applies one event; the only state transition. @throws IllegalStateException on equivocation */
  void apply(ElectionEvent event) {
    if (event instanceof ViewChangeStarted e) {
      ViewChange vc = e.own();
      if (ownViewChange != null && ownViewChange.newView() == vc.newView()
          && !Arrays.equals(ownViewChange.signature(), vc.signature())) {
        throw new IllegalStateException("would sign a second VIEW-CHANGE for view " + vc.newView());
      }
      if (vc.newView() <= pendingView()) {
        throw new IllegalStateException("VIEW-CHANGE for view " + vc.newView()
            + " does not move past view " + pendingView());
      }
      ownViewChange = vc;
      pendingView = vc.newView();
      stopTimer();
      lastViewChangeSentAt = now;
    } else if (event instanceof NewViewSent e) {
      newViewSent = e.newView();
    } else if (event instanceof NewViewInstalled e) {
      if (e.view() > view) {
        view = e.view();
        pendingView = Math.max(pendingView, view);
        installedMinS = e.stableSeqNo();
        installedO = e.prePrepares();
        received.headMap(view, true).clear();
        higherViews.values().removeIf(v -> v <= view);
        stopTimer();
      }
    } else if (event instanceof StableCheckpointNoted e) {
      lastExecuted = Math.max(lastExecuted, e.seqNo());
      if (e.seqNo() > stableSeqNo) {
        stableSeqNo = e.seqNo();
        stableDigest = e.digest();
        stableProof = e.proof();
      }
    } else if (event instanceof Ticked e) {
      now = e.now();
    } else if (event instanceof RequestPendingNoted e) {
      pending.putIfAbsent(e.txId(), now);
    } else if (event instanceof ElectionEvent.PendingDropped e) {
      pending.clear();
      lastExecuted = Math.max(lastExecuted, e.seqNo());
      if (!viewChangeInProgress()) {
        stopTimer();
      }
    } else if (event instanceof RequestsExecuted e) {
      lastExecuted = Math.max(lastExecuted, e.seqNo());
      e.txIds().forEach(pending::remove);
      if (e.txIds().contains(timerFor) && !viewChangeInProgress()) {
        stopTimer();
      }
      if (e.progress()) {
        failures = 0;
      }
    } else if (event instanceof TimerStarted e) {
      timerStart = e.atTick();
      timerTimeout = e.timeoutTicks();
      timerFor = e.forTxId();
    } else if (event instanceof TimerStopped) {
      stopTimer();
    } else if (event instanceof TimerExpired e) {
      stopTimer();
      failures++;
      requestedView = Math.max(requestedView, e.nextView());
    } else if (event instanceof ViewChangeJoined e) {
      failures++;
      requestedView = Math.max(requestedView, e.newView());
    } else if (event instanceof ElectionEvent.HigherViewNoted e) {
      if (e.view() > view) {
        higherViews.merge(e.sender(), e.view(), Math::max);
      }
    } else if (event instanceof ElectionEvent.HigherViewJoined e) {
      requestedView = Math.max(requestedView, e.newView());
    } else if (event instanceof ViewChangeAccepted e) {
      ViewChange vc = e.viewChange();
      received.computeIfAbsent(vc.newView(), v -> new HashMap<>()).put(vc.sender(), vc);
    } else if (event instanceof ElectionEvent.PeersAwaited) {
      awaitingPeers = true;
      peersHeard.clear();
    } else if (event instanceof ElectionEvent.PeerHeard e) {
      peersHeard.add(e.peer());
    } else if (event instanceof ElectionEvent.InStepWithPeers) {
      awaitingPeers = false;
      peersHeard.clear();
    } else if (event instanceof ViewChangeResent e) {
      lastViewChangeSentAt = e.atTick();
    } else if (!(event instanceof ElectionEvent.NewViewResent
        || event instanceof ElectionEvent.Rejected)) { // trace only
      throw new IllegalArgumentException("ElectionState.apply has no rule for "
          + event.getClass().getSimpleName());
    }
  }

  private void stopTimer() {
    timerStart = -1;
    timerTimeout = 0;
    timerFor = "";
  }
}
