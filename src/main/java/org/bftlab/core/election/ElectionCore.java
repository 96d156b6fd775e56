package org.bftlab.core.election;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.Signal;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.core.election.ElectionEvent.NewViewResent;
import org.bftlab.core.election.ElectionEvent.NewViewSent;
import org.bftlab.core.election.ElectionEvent.Rejected;
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
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.core.quorum.Quorums;

/**
 * The leader election: PBFT's view change (Castro &amp; Liskov OSDI'99 §4.4, TOCS'02 §2.3.5) as
 * a pure, deterministic {@link Component}. Time is counted in ticks.
 *
 * <ul>
 *   <li><b>Timer.</b> A backup that waits for a request ({@link Signal.RequestPending}) starts a
 *       timer of T ticks; the execution of that request ({@link Signal.BatchExecuted}) stops it
 *       and restarts it for the next pending one. On expiry the replica asks the agreement to
 *       leave view v ({@link Signal.ViewChangeRequested}).
 *   <li><b>VIEW-CHANGE.</b> The agreement answers with P ({@link
 *       Signal.PreparedCertificatesCollected}); the replica signs VIEW-CHANGE ⟨v+1, n, C, P, i⟩
 *       with its latest stable checkpoint n and proof C, persists it ({@link ViewChangeStarted})
 *       and multicasts it, re-sending it every retransmitTicks until a view is installed. One
 *       VIEW-CHANGE per view, ever: after a restart the logged one is re-sent.
 *   <li><b>NEW-VIEW.</b> The primary of v+1 with 2f+1 valid VIEW-CHANGEs (its own among them)
 *       computes O ({@link NewViewPlan}), persists and multicasts NEW-VIEW ⟨v+1, V, O⟩ and
 *       installs v+1. A backup verifies every message in V, recomputes O, and installs v+1 only
 *       for an identical O. Installing tells agreement and block commit ({@link
 *       Signal.ViewInstalled}) and, when min-s is above this replica's stable checkpoint, block
 *       commit that it may need state transfer ({@link Signal.StateTransferNeeded}).
 *   <li><b>Liveness.</b> With 2f+1 VIEW-CHANGEs for v+1 in, a timer waits for the NEW-VIEW; if it
 *       expires the replica moves to v+2. The timeout is T·2^(k-1) for the k-th consecutive view
 *       change without progress (T for the first), and returns to T once a non-empty batch
 *       executes in the installed view. f+1 valid VIEW-CHANGEs for views above this replica's
 *       make it join the smallest of those views. A NEW-VIEW for a view below the one this
 *       replica is changing to is installed passively (see {@code onNewView}), and the primary
 *       of the installed view answers a peer's VIEW-CHANGE for a later view with its NEW-VIEW.
 * </ul>
 */
public final class ElectionCore implements Component<ElectionState, ElectionEvent> {
  /** Largest exponent of the timeout doubling (T·2^16 at most). */
  static final int MAX_DOUBLINGS = 16;
  /**
   * A backup whose oldest pending request has waited this many timeouts no longer lets progress
   * on other requests restart its timer (bounds censorship by a primary that makes progress).
   */
  static final long PROGRESS_RESTARTS_UP_TO = 4;

  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final long baseTimeoutTicks;
  private final Quorums quorums;
  private final ViewChangeCheck check;
  /** {@link PlantedBug#NEW_VIEW_DROPS_P}: false outside negative controls. */
  private final boolean dropP;

  /**
   * An election whose base view-change timeout T is {@link
   * ProtocolParams#viewChangeTimeoutTicks()} (4·retransmitTicks by default).
   *
   * @throws IllegalArgumentException if {@code self} is not a member
   */
  public ElectionCore(ProtocolParams params, NodeId self, Authenticator auth) {
    this(params, self, auth, params.viewChangeTimeoutTicks());
  }

  /**
   * @param params the cluster's protocol parameters
   * @param self this replica; must be a member
   * @param auth signs with this replica's key and verifies peers
   * @param baseTimeoutTicks T, ticks a backup waits for a pending request before it starts a view
   *     change (>= 1)
   * @throws IllegalArgumentException if {@code self} is not a member or T < 1
   */
  public ElectionCore(ProtocolParams params, NodeId self, Authenticator auth,
      long baseTimeoutTicks) {
    this(params, self, auth, baseTimeoutTicks, java.util.Set.of());
  }

  /**
   * <b>Negative controls only.</b> An election (T from the parameters) with deliberate bugs
   * planted (see {@link PlantedBug}; only {@link PlantedBug#NEW_VIEW_DROPS_P} concerns this
   * component), so that a test can show the checkers catch them. Never used by the node or the
   * CLI.
   */
  public ElectionCore(ProtocolParams params, NodeId self, Authenticator auth,
      java.util.Set<PlantedBug> plantedBugs) {
    this(params, self, auth, params.viewChangeTimeoutTicks(), java.util.Set.copyOf(plantedBugs));
  }

  private ElectionCore(ProtocolParams params, NodeId self, Authenticator auth,
      long baseTimeoutTicks, java.util.Set<PlantedBug> plantedBugs) {
    this.dropP = plantedBugs.contains(PlantedBug.NEW_VIEW_DROPS_P);
    this.params = Objects.requireNonNull(params, "params");
    this.self = Objects.requireNonNull(self, "self");
    this.auth = Objects.requireNonNull(auth, "auth");
    if (!params.isMember(self)) {
      throw new IllegalArgumentException(self + " is not a member of cluster " + params.clusterId());
    }
    if (baseTimeoutTicks < 1) {
      throw new IllegalArgumentException("baseTimeoutTicks must be >= 1, got " + baseTimeoutTicks);
    }
    this.baseTimeoutTicks = baseTimeoutTicks;
    this.quorums = new Quorums(params.n());
    this.check = new ViewChangeCheck(params, auth, dropP);
  }

  /** T, the base view-change timeout in ticks. */
  public long baseTimeoutTicks() {
    return baseTimeoutTicks;
  }

  /** The timeout in ticks after {@code failures} view changes without progress. */
  public long timeoutTicks(int failures) {
    return baseTimeoutTicks << Math.min(Math.max(0, failures - 1), MAX_DOUBLINGS);
  }

  /** View 0, no view change, no stable checkpoint, tick 0. */
  @Override
  public ElectionState initialState() {
    return new ElectionState();
  }

  /** Dispatches one handler per input; its rules never mutate {@code state}. */
  @Override
  public void decide(ElectionState state, Input input, Decision.Builder<ElectionEvent> out) {
    Step st = new Step(state, out);
    if (input instanceof Input.Tick) {
      onTick(st);
    } else if (input instanceof Input.FromSibling fs) {
      onSignal(st, fs.signal());
    } else if (input instanceof Input.Receive r) {
      if (r.message() instanceof ViewChange vc) {
        onViewChange(st, vc);
      } else if (r.message() instanceof NewView nv) {
        onNewView(st, nv);
      }
    }
    updateTimer(st);
  }

  /** Applies {@code event} to {@code state} in place and returns it. */
  @Override
  public ElectionState apply(ElectionState state, ElectionEvent event) {
    state.apply(event);
    return state;
  }

  /**
   * What a snapshot keeps: the latest installed view, this replica's VIEW-CHANGE and NEW-VIEW for
   * views not yet left behind (so that a restart never signs a different one, OSDI'99 §4.4), and
   * the latest stable checkpoint with its proof.
   */
  @Override
  public boolean retains(ElectionState s, ElectionEvent event) {
    if (event instanceof ElectionEvent.NewViewInstalled e) {
      return e.view() >= s.view();
    } else if (event instanceof ElectionEvent.ViewChangeStarted e) {
      return e.own().newView() >= s.view();
    } else if (event instanceof ElectionEvent.NewViewSent e) {
      return e.newView().view() >= s.view();
    } else if (event instanceof ElectionEvent.StableCheckpointNoted e) {
      return e.seqNo() >= s.stableSeqNo();
    }
    throw new IllegalArgumentException("retains has no rule for "
        + event.getClass().getSimpleName() + " (a volatile event is never journaled)");
  }

  /**
   * After a (re)start: re-announce the installed view (with its O) to the siblings and, inside a
   * view change, re-send the logged VIEW-CHANGE (never a newly signed one). The normal-case timer
   * then waits for f+1 peers in step ({@link ElectionEvent.PeersAwaited}, see {@link
   * #hearPeer}), also across views installed meanwhile.
   */
  @Override
  public void recover(ElectionState s, Decision.Builder<ElectionEvent> b) {
    b.persist(new ElectionEvent.PeersAwaited());
    b.output(new Output.ToSibling(new Signal.ViewInstalled(s.view(), params.primary(s.view()),
        s.installedStableSeqNo(), s.installedPrePrepares())));
    s.ownViewChange().filter(vc -> s.viewChangeInProgress())
        .ifPresent(vc -> b.output(new Output.Multicast(vc)));
  }

  // ---- time -----------------------------------------------------------------------------------

  private void onTick(Step st) {
    long now = st.s().now() + 1;
    st.emit(new Ticked(now));
    ElectionState s = st.s();
    if (s.timerRunning() && now >= s.timerDeadline()) {
      long next = s.pendingView() + 1;
      st.emit(new TimerExpired(next, s.timerTimeout()));
      st.out(new Output.ToSibling(new Signal.ViewChangeRequested(next)));
    } else if (s.viewChangeInProgress() && s.ownViewChange().isPresent()
        && now - s.lastViewChangeSentAt() >= params.retransmitTicks()) {
      st.emit(new ViewChangeResent(s.pendingView(), now));
      st.out(new Output.Multicast(s.ownViewChange().get()));
    }
  }

  /**
   * Starts or stops the timer after every input. Normal case: a backup's timer runs while it
   * waits for a request. View change: the timer runs once 2f+1 VIEW-CHANGEs for the pending view
   * (own included) are in, and until a NEW-VIEW is installed.
   */
  private void updateTimer(Step st) {
    ElectionState s = st.s();
    if (s.requestedView() > s.pendingView()) {
      return; // waiting for the agreement's certificates
    }
    long timeout = timeoutTicks(s.viewChangesWithoutProgress());
    if (s.viewChangeInProgress()) {
      if (!s.timerRunning() && s.ownViewChange().isPresent()
          && s.viewChangesFor(s.pendingView()).size() + 1 >= quorums.commit()) {
        st.emit(new TimerStarted(s.now(), timeout, ""));
      }
      return;
    }
    boolean primary = self.equals(params.primary(s.view()));
    if (primary || s.pendingRequests().isEmpty()) {
      if (s.timerRunning()) {
        st.emit(new TimerStopped(primary ? "this replica is the primary of view " + s.view()
            : "no request pending"));
      }
    } else if (!s.timerRunning() && !s.awaitingPeers()) {
      st.emit(new TimerStarted(s.now(), timeout, s.pendingRequests().iterator().next()));
    }
  }

  // ---- signals --------------------------------------------------------------------------------

  private void onSignal(Step st, Signal signal) {
    ElectionState s = st.s();
    if (signal instanceof Signal.RequestAwaited rp) {
      if (!s.pendingRequests().contains(rp.txId())) {
        st.emit(new RequestPendingNoted(rp.txId()));
      }
    } else if (signal instanceof Signal.BatchExecuted bc) {
      List<String> done = bc.txIds().stream().filter(s.pendingRequests()::contains).toList();
      boolean progress = !bc.txIds().isEmpty() && bc.view() == s.view()
          && !s.viewChangeInProgress() && s.viewChangesWithoutProgress() > 0;
      if (!done.isEmpty() || progress || bc.seqNo() > s.lastExecutedSeqNo()) {
        st.emit(new RequestsExecuted(bc.view(), bc.seqNo(), done, progress));
      }
      restartOnProgress(st, bc);
    } else if (signal instanceof Signal.CheckpointStable cs) {
      if (cs.seqNo() > s.lastExecutedSeqNo() && !s.pendingRequests().isEmpty()) {
        // state transfer executed the batches up to n, which never reach election as
        // BatchExecuted: whether the requests it waits for were among them is unknown here
        st.emit(new ElectionEvent.PendingDropped(cs.seqNo(), s.lastExecutedSeqNo(),
            s.pendingRequests().size()));
      }
      onCheckpointStable(st, cs);
    } else if (signal instanceof Signal.PreparedCertificatesCollected pc) {
      onCertificates(st, pc);
    } else if (signal instanceof Signal.HigherViewSeen hv) {
      onHigherView(st, hv);
    } else if (signal instanceof Signal.PeerInStep p) {
      hearPeer(st, p.sender(), p.view());
    }
  }

  /**
   * A (re)started replica runs no view-change timer for the requests it waits for until it has
   * heard f+1 distinct peers in step ({@link Signal.PeerInStep}): a correctly signed message
   * placing each in this replica's view or above and within its watermark window — a
   * PRE-PREPARE, PREPARE or COMMIT its agreement admitted, or a STATUS whose last executed seqNo
   * is at most L above this replica's. The timer measures the primary (OSDI'99 §4.4: "if the
   * timer of backup i expires in view v, the backup starts a view change"); a replica that
   * reaches nobody yet — a restarted process still joining the cluster takes client requests
   * seconds before its first peer message arrives — or that is still catching up on what the
   * others executed while it was down (a peer in a higher view, or far ahead, shows exactly
   * that; so does installing a view whose NEW-VIEW it fetched late) measures itself instead: its
   * timer expired, it sent a VIEW-CHANGE alone, and having signed it, it may never again prepare
   * or commit in that view (§4.4), so it sat in the view change while the others went on
   * (issue 7, PrimaryKillsIT). f+1 peers in step include a correct one, so f faulty replicas
   * cannot keep the timer off for ever; and while f+1 peers in step cannot be heard this replica
   * cannot tell a faulty primary from its own isolation or lag. Requests that arrive meanwhile are
   * noted and timed from the moment the peers are heard. A joined view change (f+1 VIEW-CHANGEs,
   * f+1 peers in a higher view) needs no timer and is not held back.
   */
  private void hearPeer(Step st, NodeId peer, long view) {
    ElectionState s = st.s();
    if (!s.awaitingPeers() || peer.equals(self) || !params.isMember(peer) || view < s.view()
        || s.peersHeard().contains(peer)) {
      return;
    }
    st.emit(new ElectionEvent.PeerHeard(peer, view));
    if (st.s().peersHeard().size() >= quorums.weak()) {
      st.emit(new ElectionEvent.InStepWithPeers(List.copyOf(st.s().peersHeard())));
    }
  }

  /**
   * The timer measures the primary, not this replica: a backup that executes a non-empty batch
   * of the installed view while it still waits for requests restarts its timer (as Castro's BFT
   * library restarts its view-change timer on every execution while requests are queued). A
   * backup that lags behind — restarted, or catching up after a partition — executes the batches
   * its peers committed long ago; the request it waits for comes after them, and with the
   * paper's per-request timer alone it left the view alone, once per T, while the primary was
   * making progress all along (issue 7: a backup kill caused a view change; one replica sat in a
   * view change of its own for minutes). Bounded, so that a primary that orders other requests
   * but censors one is still replaced: progress restarts the timer only while the oldest request
   * this backup waits for has waited less than {@link #PROGRESS_RESTARTS_UP_TO} × T.
   */
  private void restartOnProgress(Step st, Signal.BatchExecuted bc) {
    ElectionState s = st.s();
    if (bc.txIds().isEmpty() || bc.view() != s.view() || s.viewChangeInProgress()
        || !s.timerRunning() || s.timerFor().isEmpty() || s.pendingRequests().isEmpty()) {
      return;
    }
    long timeout = timeoutTicks(s.viewChangesWithoutProgress());
    if (s.now() - s.oldestPendingSince() >= PROGRESS_RESTARTS_UP_TO * timeout) {
      return;
    }
    String timed = s.pendingRequests().contains(s.timerFor()) ? s.timerFor()
        : s.pendingRequests().iterator().next();
    st.emit(new TimerStarted(s.now(), timeout, timed));
  }

  private void onCheckpointStable(Step st, Signal.CheckpointStable cs) {
    if (cs.seqNo() <= st.s().stableSeqNo()) {
      return;
    }
    long matching = cs.proof().stream()
        .filter(c -> c.seqNo() == cs.seqNo() && c.digest().equals(cs.digest()))
        .map(Checkpoint::sender).distinct().count();
    if (matching < quorums.commit()) {
      st.emit(new Rejected("CheckpointStable", self.toString(), "stable checkpoint n="
          + cs.seqNo() + " came with " + matching + " matching CHECKPOINTs, a VIEW-CHANGE needs "
          + quorums.commit() + "; keeping n=" + st.s().stableSeqNo()));
      return;
    }
    st.emit(new StableCheckpointNoted(cs.seqNo(), cs.digest(), cs.proof()));
  }

  /**
   * §4.4: the agreement left its view; sign VIEW-CHANGE ⟨v+1, n, C, P, i⟩ unless one is logged
   * for v+1 already, in which case that one is re-sent.
   */
  private void onCertificates(Step st, Signal.PreparedCertificatesCollected pc) {
    ElectionState s = st.s();
    long w = pc.newView();
    if (w <= s.view() || w < s.pendingView()) {
      return;
    }
    Optional<ViewChange> logged = s.ownViewChange();
    if (w == s.pendingView()) {
      logged.ifPresent(vc -> {
        st.emit(new ViewChangeResent(w, s.now()));
        st.out(new Output.Multicast(vc));
      });
      return;
    }
    long n = s.stableSeqNo();
    List<PreparedCertificate> p = pc.certificates().stream()
        .filter(c -> c.prePrepare().seqNo() > n
            && c.prePrepare().seqNo() <= n + params.watermarkWindow())
        .toList();
    ViewChange own = ViewChange.sign(params.clusterId(), w, n, s.stableProof(), p, self, auth);
    st.emit(new ViewChangeStarted(own));
    st.out(new Output.Multicast(own));
    tryNewView(st, w);
  }

  /**
   * PBFT TOCS'02 §4.5 and §5 (replicas bring a lagging replica up to date): a replica that missed
   * a view change — it was down or cut off while the others installed view w — would otherwise
   * stay in its old view for ever: its peers re-send VIEW-CHANGEs only until w is installed, and
   * an old primary runs no view-change timer. Agreement reports every correctly signed
   * normal-case message of a higher view; once f+1 distinct replicas are seen in views >= w (the
   * largest such w; f+1 guarantee that one correct replica is in view w or above, so f faulty
   * ones cannot lure it away), this replica changes to w: it sends its VIEW-CHANGE for w, the
   * primary of w answers with its NEW-VIEW ({@link NewViewResent}), which this replica verifies
   * and installs — fetching the state up to min-s if it is behind ({@link
   * Signal.StateTransferNeeded}). Bounded: one view per peer, views at or below the installed
   * one forgotten.
   */
  private void onHigherView(Step st, Signal.HigherViewSeen hv) {
    ElectionState s = st.s();
    if (hv.view() <= s.view() || hv.sender().equals(self) || !params.isMember(hv.sender())
        || s.higherViews().getOrDefault(hv.sender(), -1L) >= hv.view()) {
      return;
    }
    st.emit(new ElectionEvent.HigherViewNoted(hv.view(), hv.sender()));
    s = st.s();
    List<Long> views = s.higherViews().values().stream().sorted(Comparator.reverseOrder())
        .toList();
    if (views.size() < quorums.weak()) {
      return;
    }
    long w = views.get(quorums.weak() - 1);
    if (w <= s.requestedView()) {
      return;
    }
    List<NodeId> senders = s.higherViews().entrySet().stream().filter(e -> e.getValue() >= w)
        .map(Map.Entry::getKey).sorted().toList();
    st.emit(new ElectionEvent.HigherViewJoined(w, senders));
    st.out(new Output.ToSibling(new Signal.ViewChangeRequested(w)));
  }

  // ---- VIEW-CHANGE ----------------------------------------------------------------------------

  private void onViewChange(Step st, ViewChange vc) {
    ElectionState s = st.s();
    if (vc.sender().equals(self)) {
      return; // own messages are logged when signed, never received
    }
    Optional<NewView> nvSent = s.newViewSent().filter(nv -> nv.view() == s.view());
    if (vc.newView() <= s.view()) {
      if (vc.newView() == s.view() && nvSent.isPresent() && vc.verify(params.clusterId(), auth)) {
        st.emit(new NewViewResent(s.view(), vc.sender()));
        st.out(new Output.Send(vc.sender(), nvSent.get()));
      }
      return;
    }
    if (nvSent.isPresent() && !s.viewChangeInProgress() && vc.verify(params.clusterId(), auth)) {
      // a peer that left the view this replica leads before its NEW-VIEW arrived: it may
      // install this view passively (see onNewView); its VIEW-CHANGE is re-sent every
      // retransmitTicks, so this answer is too, and stops once the peer's view is current
      st.emit(new NewViewResent(s.view(), vc.sender()));
      st.out(new Output.Send(vc.sender(), nvSent.get()));
    }
    if (vc.newView() > s.pendingView() + params.n()) {
      reject(st, vc.type(), vc.sender(), "view " + vc.newView() + " is more than n views beyond "
          + s.pendingView());
      return;
    }
    ViewChange known = s.viewChangesFor(vc.newView()).get(vc.sender());
    if (known != null) {
      return; // duplicate (peers resend theirs until a NEW-VIEW arrives)
    }
    Optional<String> bad = check.viewChange(vc);
    if (bad.isPresent()) {
      reject(st, vc.type(), vc.sender(), bad.get());
      return;
    }
    st.emit(new ViewChangeAccepted(vc));
    tryJoin(st);
    tryNewView(st, vc.newView());
  }

  /**
   * §4.4: "if a replica receives a set of f+1 valid VIEW-CHANGE messages from other replicas for
   * views greater than its current view, it sends a VIEW-CHANGE message for the smallest view in
   * the set, even if its timer has not expired".
   */
  private void tryJoin(Step st) {
    ElectionState s = st.s();
    long current = s.requestedView();
    Map<NodeId, Long> smallest = new TreeMap<>();
    s.viewChangesAbove(current).forEach((view, bySender) ->
        bySender.keySet().forEach(sender -> smallest.merge(sender, view, Math::min)));
    if (smallest.size() < quorums.weak()) {
      return;
    }
    long target = smallest.values().stream().min(Long::compare).orElseThrow();
    st.emit(new ViewChangeJoined(target, List.copyOf(smallest.keySet())));
    st.out(new Output.ToSibling(new Signal.ViewChangeRequested(target)));
  }

  /** §4.4: the primary of w with 2f+1 valid VIEW-CHANGEs for w, its own among them. */
  private void tryNewView(Step st, long w) {
    ElectionState s = st.s();
    if (!self.equals(params.primary(w)) || s.pendingView() != w || s.view() >= w) {
      return;
    }
    Optional<ViewChange> own = s.ownViewChange();
    if (own.isEmpty() || s.viewChangesFor(w).size() + 1 < quorums.commit()) {
      return;
    }
    List<ViewChange> v = new ArrayList<>();
    v.add(own.get());
    s.viewChangesFor(w).values().stream().sorted(Comparator.comparing(ViewChange::sender))
        .limit(quorums.commit() - 1L).forEach(v::add);
    NewViewPlan plan = NewViewPlan.of(v, dropP);
    List<PrePrepareHeader> o = plan.proposals().stream()
        .map(p -> PrePrepareHeader.sign(params.clusterId(), w, p.seqNo(), p.digest(), self, auth))
        .toList();
    NewView nv = NewView.sign(params.clusterId(), w, v, o, self, auth);
    st.emit(new NewViewSent(nv));
    install(st, w, plan, o);
    st.out(new Output.Multicast(nv));
  }

  // ---- NEW-VIEW -------------------------------------------------------------------------------

  /**
   * A NEW-VIEW for a view v below the view w this replica is changing to (its timer for v
   * expired before the NEW-VIEW for v arrived, e.g. over a link still reconnecting after a
   * partition healed) is installed passively: the view becomes v, the view change to w stays in
   * progress and the VIEW-CHANGE for w stays the one and only (OSDI'99 §4.4). The agreement
   * then signs nothing in v — no PREPARE, no COMMIT — and learns which batches committed from
   * the 2f+1 COMMITs of others (passive, see the agreement's Progress), so the VIEW-CHANGE for w
   * it signed still states everything it prepared. Without this the replica sat in the view change to w
   * alone, for ever, while the others went on in v without it (NetworkPartitionIT).
   */
  private void onNewView(Step st, NewView nv) {
    ElectionState s = st.s();
    if (nv.view() <= s.view()) {
      return; // installed already
    }
    if (nv.view() < s.requestedView() && self.equals(params.primary(nv.view()))) {
      reject(st, nv.type(), nv.sender(), "view " + nv.view() + " is below the view change to "
          + s.requestedView() + " this replica started, and this replica is its primary");
      return;
    }
    ViewChangeCheck.Result r = check.newView(nv);
    if (r.plan().isEmpty()) {
      reject(st, nv.type(), nv.sender(), r.reason());
      return;
    }
    install(st, nv.view(), r.plan().get(), nv.prePrepares());
  }

  /**
   * Installs view w: persist, tell agreement and block commit; if min-s is above this replica's
   * stable checkpoint, adopt the proof (§4.4) and tell block commit it may be behind.
   */
  private void install(Step st, long w, NewViewPlan plan, List<PrePrepareHeader> o) {
    NodeId primary = params.primary(w);
    if (plan.minS() > st.s().lastExecutedSeqNo() && !st.s().pendingRequests().isEmpty()) {
      st.emit(new ElectionEvent.PendingDropped(plan.minS(), st.s().lastExecutedSeqNo(),
          st.s().pendingRequests().size()));
    }
    if (plan.minS() > st.s().stableSeqNo()) {
      st.emit(new StableCheckpointNoted(plan.minS(), plan.minSDigest(), plan.minSProof()));
      st.out(new Output.ToSibling(new Signal.StateTransferNeeded(plan.minS(), plan.minSDigest(),
          plan.minSProof())));
    }
    st.emit(new NewViewInstalled(w, primary, plan.minS(), o));
    st.out(new Output.ToSibling(new Signal.ViewInstalled(w, primary, plan.minS(), o)));
  }

  private static void reject(Step st, String type, NodeId from, String why) {
    st.emit(new Rejected(type, from.toString(), why));
  }
}
