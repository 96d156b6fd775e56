package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent.CommitAccepted;
import org.bftlab.core.agreement.AgreementEvent.LowWatermarkAdvanced;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareSent;
import org.bftlab.core.agreement.AgreementEvent.PrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.Rejected;
import org.bftlab.core.agreement.AgreementEvent.RequestForwarded;
import org.bftlab.core.agreement.AgreementEvent.RequestQueued;
import org.bftlab.core.agreement.AgreementEvent.Ticked;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.RequestChecks;
import org.bftlab.core.quorum.Quorums;

/**
 * The PBFT normal case (Castro &amp; Liskov OSDI'99 §4.2, batching TOCS'02 §5.1) as a pure,
 * deterministic {@link Component}: the primary batches requests into PRE-PREPAREs; backups accept
 * them and multicast PREPAREs; a replica that is <em>prepared</em> multicasts its COMMIT; a
 * <em>committed-local</em> batch is handed to block commit strictly in seqNo order as {@link
 * Signal.BatchCommitted}. Time is counted in ticks ({@link Input.Tick}).
 *
 * <p>Every dropped input produces a volatile {@link Rejected} event saying why. This replica's own
 * messages are signed in {@code decide}, carried in the persisted event that logs them, and sent as
 * outputs after it (persist before send); {@code apply} throws {@link IllegalStateException} if an
 * event would make this replica sign two digests for one (view, seqNo, phase).
 */
public final class AgreementCore implements Component<AgreementState, AgreementEvent> {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final Admission admission;
  private final Progress progress;
  private final Retransmitter retransmitter;
  private final ViewChanges viewChanges;
  private final BatchFetch batchFetch;
  private final Quorums quorums;

  /**
   * @param params the cluster's protocol parameters
   * @param self this replica; must be a member
   * @param auth signs with this replica's key and verifies peers and clients
   * @throws IllegalArgumentException if {@code self} is not a member
   */
  public AgreementCore(ProtocolParams params, NodeId self, Authenticator auth) {
    this(params, self, auth, java.util.Set.of());
  }

  /**
   * <b>Negative controls only.</b> An agreement with deliberate bugs planted (see {@link
   * PlantedBug}; only {@link PlantedBug#COMMIT_QUORUM_2F} concerns this component), so that a
   * test can show the checkers catch them. Never used by the node or the CLI.
   */
  public AgreementCore(ProtocolParams params, NodeId self, Authenticator auth,
      java.util.Set<PlantedBug> plantedBugs) {
    this.params = Objects.requireNonNull(params, "params");
    this.self = Objects.requireNonNull(self, "self");
    this.auth = Objects.requireNonNull(auth, "auth");
    if (!params.isMember(self)) {
      throw new IllegalArgumentException(self + " is not a member of cluster " + params.clusterId());
    }
    this.admission = new Admission(params, self, auth);
    this.progress = new Progress(params, self, auth, java.util.Set.copyOf(plantedBugs));
    this.retransmitter = new Retransmitter(params, self);
    this.batchFetch = new BatchFetch(params, self, auth, admission);
    this.viewChanges = new ViewChanges(params, self, auth, progress, batchFetch);
    this.quorums = new Quorums(params.n());
  }

  /** View 0, h = 0, nothing logged, next seqNo 1, tick 0. */
  @Override
  public AgreementState initialState() {
    return new AgreementState(params.watermarkWindow());
  }

  /** Dispatches one handler per input and message type; its rules never mutate {@code state}. */
  @Override
  public void decide(AgreementState state, Input input, Decision.Builder<AgreementEvent> b) {
    if (input instanceof Input.Tick) {
      onTick(state, b);
    } else if (input instanceof Input.Submit submit) {
      onSubmit(state, submit.request(), b);
    } else if (input instanceof Input.Receive receive) {
      onReceive(state, receive.message(), b);
    } else if (input instanceof Input.FromSibling sibling) {
      onSignal(state, sibling.signal(), b);
    }
  }

  /** Applies {@code event} to {@code state} in place and returns it. */
  @Override
  public AgreementState apply(AgreementState state, AgreementEvent event) {
    state.apply(event);
    return state;
  }

  /**
   * What a snapshot keeps (garbage collection at the stable checkpoint, OSDI'99 §4.3: "the
   * log entries with sequence numbers less than or equal to n are discarded"): the message log
   * above h, the latest low-watermark advance, an unfinished view change, and the view installs
   * whose O still reaches above h or that installed the current view.
   */
  @Override
  public boolean retains(AgreementState s, AgreementEvent event) {
    long h = s.lowWatermark();
    if (event instanceof AgreementEvent.PrePrepareSent e) {
      return e.pp().seqNo() > h;
    } else if (event instanceof AgreementEvent.PrePrepareAccepted e) {
      return e.pp().seqNo() > h;
    } else if (event instanceof AgreementEvent.PrepareAccepted e) {
      return e.p().seqNo() > h;
    } else if (event instanceof AgreementEvent.Prepared e) {
      return e.seqNo() > h;
    } else if (event instanceof AgreementEvent.CommitAccepted e) {
      return e.c().seqNo() > h;
    } else if (event instanceof AgreementEvent.CommittedLocal e) {
      return e.seqNo() > h;
    } else if (event instanceof AgreementEvent.LowWatermarkAdvanced e) {
      return e.seqNo() >= h;
    } else if (event instanceof AgreementEvent.ViewChangeEntered e) {
      return e.newView() >= s.view();
    } else if (event instanceof AgreementEvent.ViewInstalled e) {
      return e.view() >= s.view() || e.prePrepares().stream().anyMatch(pp -> pp.seqNo() > h)
          || e.awaitingBatch().stream().anyMatch(pp -> pp.seqNo() > h);
    }
    throw new IllegalArgumentException("retains has no rule for "
        + event.getClass().getSimpleName() + " (a volatile event is never journaled)");
  }

  /**
   * After journal replay (§4.2 with a crash): re-delivers every committed-local batch above h in
   * order (block commit ignores seqNos it already executed) and re-multicasts own messages for
   * every seqNo still in flight; inside a view change, hands P to election again (§4.4). From
   * now on the first admitted message of each peer is reported to election ({@link
   * AgreementEvent.PeersReporting}); after a restart from a non-empty journal the view awaits
   * confirmation by f+1 peers ({@link AgreementEvent.ViewUnconfirmed}, see {@code confirmView}).
   */
  @Override
  public void recover(AgreementState state, Decision.Builder<AgreementEvent> b) {
    b.persist(new AgreementEvent.PeersReporting());
    if (state.view() > 0 || state.lowWatermark() > 0 || !state.slots().isEmpty()) {
      b.persist(new AgreementEvent.ViewUnconfirmed(state.view()));
    }
    progress.deliver(state, state.lowWatermark(), b);
    retransmitter.resend(state, state.now(), false, b);
    viewChanges.recover(state, b);
    batchFetch.ask(state, state.now(), false, b);
  }

  // ---- requests (§4.1, TOCS'02 §5.1) ----------------------------------------------------------

  /**
   * A client request accepted here (§4.1, TOCS'02 §4.5.2). It is relayed to every replica at
   * once — as a client that times out multicasts its request — so that no accepted request rests
   * on one process: the primary orders it, every backup holds it and runs its view-change timer
   * for it, and after a view change each backup hands it to the new primary ({@link
   * ViewChanges#onViewInstalled}). Without the relay a request accepted by the primary (or by a
   * backup whose forward was lost) vanishes with that process and commits only after the client
   * retransmits. The primary queues it; a backup holds it and tells election it waits for it
   * (which starts the view-change timer) unless it is committed-local here already.
   */
  private void onSubmit(AgreementState s, Request r, Decision.Builder<AgreementEvent> b) {
    NodeId primary = params.primary(s.view());
    b.output(new Output.Multicast(r));
    if (!self.equals(primary)) {
      b.persist(new RequestForwarded(r.txId(), primary));
      hold(s, r, b);
      return;
    }
    if (!s.viewConfirmed()) {
      b.persist(new AgreementEvent.HeldUntilViewConfirmed(r.txId(), s.view()));
      hold(s, r, b);
      return;
    }
    queue(s, r, b);
  }

  /**
   * A backup holds {@code r} until it is pre-prepared here (so that a new primary gets it after a
   * view change) and, unless it is committed-local here, tells election it waits for it:
   * OSDI'99 §4.4, "a backup is waiting for a request if it received a valid request and has not
   * executed it".
   */
  private void hold(AgreementState s, Request r, Decision.Builder<AgreementEvent> b) {
    if (!s.knowsTx(r.txId()) && !s.holds(r.txId())) {
      b.persist(new AgreementEvent.RequestHeld(r));
    }
    if (!s.committedTx(r.txId())) {
      b.output(new Output.ToSibling(new Signal.RequestPending(r.txId())));
    }
  }

  private void onRequest(AgreementState s, Request r, Decision.Builder<AgreementEvent> b) {
    if (!self.equals(params.primary(s.view())) || s.viewChangeInProgress()
        || !s.viewConfirmed()) {
      // a request relayed by the replica that accepted it (or forwarded to an old primary): a
      // backup holds it and waits for it; during a view change this replica may be the next
      // primary and holds it for the new view (§4.4); a restarted primary whose view is not
      // confirmed yet holds it too (see confirmView)
      Optional<RequestChecks.Rejection> bad = RequestChecks.check(r, params, auth);
      if (bad.isPresent()) {
        reject(b, r, bad.get().code() + ": " + bad.get().reason());
      } else {
        hold(s, r, b);
      }
      return;
    }
    Optional<RequestChecks.Rejection> bad = RequestChecks.check(r, params, auth);
    if (bad.isPresent()) {
      reject(b, r, bad.get().code() + ": " + bad.get().reason());
      return;
    }
    if (s.knowsTx(r.txId())) {
      return; // relayed copy of a request already queued or ordered: nothing to do
    }
    queue(s, r, b);
  }

  private void queue(AgreementState s, Request r, Decision.Builder<AgreementEvent> b) {
    if (s.knowsTx(r.txId())) {
      reject(b, r, "duplicate: txId " + r.txId().substring(0, 8)
          + " is already pending or ordered above h=" + s.lowWatermark());
      return;
    }
    b.persist(new RequestQueued(r, s.now()));
    b.settle();
    propose(s, b);
  }

  /**
   * Rule 2, adaptive batching (TOCS'02 §5.1): the primary proposes whenever its pipeline has
   * room — fewer than maxInFlightBatches proposals await delivery, and seqNos only up to
   * H = h + L — or a batch is full; a partial batch goes once its oldest request waited
   * batchTimeoutTicks (0: at once). Called when a request is queued, when a delivery frees a
   * place in the pipeline, when h advances, and at every tick. While the pipeline is full the
   * pool grows, so batches grow with load. Reads the pool, h and the tick from the state as the
   * rules before it left them.
   */
  private void propose(AgreementState s, Decision.Builder<AgreementEvent> b) {
    long low = s.lowWatermark();
    List<Batcher.Queued> pool = s.poolSnapshot();
    long now = s.now();
    if (!self.equals(params.primary(s.view())) || pool.isEmpty() || s.viewChangeInProgress()
        || !s.viewConfirmed()) {
      return;
    }
    long next = Math.max(s.nextSeqNo(), low + 1);
    long inFlight = next - 1 - Math.max(s.lastDeliveredSeqNo(), low);
    long room = Math.min(low + params.watermarkWindow() - next + 1,
        params.maxInFlightBatches() - inFlight);
    for (List<Request> batch : Batcher.batches(pool, params.batchSize(),
        params.batchTimeoutTicks(), now, room)) {
      PrePrepare pp = PrePrepare.sign(params.clusterId(), s.view(), next++, batch, self, auth);
      b.persist(new PrePrepareSent(pp));
      b.output(new Output.Multicast(pp));
    }
  }

  // ---- replica messages (§4.2) ----------------------------------------------------------------

  private void onReceive(AgreementState s, ProtocolMessage m, Decision.Builder<AgreementEvent> b) {
    if (m instanceof ReplicaMessage rm && !(m instanceof Checkpoint)) {
      farAhead(s, rm, b);
    }
    if (m instanceof ReplicaMessage rm && !(m instanceof Checkpoint) && deferrable(s, rm)) {
      b.persist(new AgreementEvent.Deferred(rm));
      return;
    }
    if (m instanceof Request r) {
      onRequest(s, r, b);
    } else if (m instanceof PrePrepare pp) {
      onPrePrepare(s, pp, b);
    } else if (m instanceof Prepare p) {
      onPrepare(s, p, b);
    } else if (m instanceof Commit c) {
      onCommit(s, c, b);
    } else if (m instanceof FetchBatch f) {
      batchFetch.onFetch(s, f, b);
    } else if (m instanceof FetchedBatch fb) {
      if (batchFetch.onFetched(s, fb, b)) {
        advanceAndDeliver(s, fb.seqNo(), b);
      }
    } else if (!(m instanceof Checkpoint)) {
      reject(b, m, "no agreement rule for this message type");
    }
    // CHECKPOINT belongs to block commit.
  }

  private void onPrePrepare(AgreementState s, PrePrepare pp, Decision.Builder<AgreementEvent> b) {
    Optional<String> bad = admission.prePrepare(s, pp).or(() -> batchFetch.contradictsO(s, pp));
    if (bad.isPresent()) {
      reject(b, pp, bad.get());
      higherView(s, pp, pp.view(), b);
      return;
    }
    Optional<PrePrepare> logged = s.slot(pp.seqNo()).flatMap(sl -> sl.entry(pp.view()))
        .flatMap(LogEntry::prePrepare);
    if (logged.isPresent()) {
      if (logged.get().digest().equals(pp.digest())) {
        reportPeer(s, pp, pp.view(), b);
        reject(b, pp, "duplicate PRE-PREPARE for (v=" + pp.view() + ", n=" + pp.seqNo() + ")");
        retransmitter.helpPeer(s, pp.seqNo(), pp.sender(), b);
      } else {
        reject(b, pp, "already accepted a PRE-PREPARE for (v=" + pp.view() + ", n=" + pp.seqNo()
            + ") with digest " + logged.get().digest().shortHex() + "; refusing digest "
            + pp.digest().shortHex());
      }
      return;
    }
    reportPeer(s, pp, pp.view(), b);
    if (s.viewChangeInProgress()) {
      // learnt passively: this replica left view v and signs nothing more in it (§4.4)
      b.persist(new PrePrepareAccepted(pp));
    } else {
      Prepare own = Prepare.sign(params.clusterId(), pp.view(), pp.seqNo(), pp.digest(), self,
          auth);
      b.persist(new PrePrepareAccepted(pp, own));
      b.output(new Output.Multicast(own));
    }
    advanceAndDeliver(s, pp.seqNo(), b);
  }

  private void onPrepare(AgreementState s, Prepare p, Decision.Builder<AgreementEvent> b) {
    Optional<String> bad = admission.prepare(s, p);
    if (bad.isPresent()) {
      reject(b, p, bad.get());
      higherView(s, p, p.view(), b);
      return;
    }
    reportPeer(s, p, p.view(), b);
    boolean duplicate = s.slot(p.seqNo()).flatMap(sl -> sl.entry(p.view()))
        .map(e -> e.hasPrepareFrom(p.sender())).orElse(false);
    if (duplicate) {
      reject(b, p, "duplicate PREPARE from " + p.sender() + " for (v=" + p.view() + ", n="
          + p.seqNo() + ")");
      retransmitter.helpPeer(s, p.seqNo(), p.sender(), b);
    } else {
      b.persist(new PrepareAccepted(p));
      advanceAndDeliver(s, p.seqNo(), b);
    }
  }

  private void onCommit(AgreementState s, Commit c, Decision.Builder<AgreementEvent> b) {
    Optional<String> bad = admission.commit(s, c);
    if (bad.isPresent()) {
      reject(b, c, bad.get());
      higherView(s, c, c.view(), b);
      return;
    }
    reportPeer(s, c, c.view(), b);
    boolean duplicate = s.slot(c.seqNo()).flatMap(sl -> sl.entry(c.view()))
        .map(e -> e.hasCommitFrom(c.sender())).orElse(false);
    if (duplicate) {
      reject(b, c, "duplicate COMMIT from " + c.sender() + " for (v=" + c.view() + ", n="
          + c.seqNo() + ")");
      retransmitter.helpPeer(s, c.seqNo(), c.sender(), b);
    } else {
      b.persist(new CommitAccepted(c));
      advanceAndDeliver(s, c.seqNo(), b);
    }
  }

  /**
   * A message of the current view for a seqNo just above H (in (H, H + L]) from another member:
   * this replica lags behind its peers' low watermark, so the message is kept (unverified,
   * bounded to L·(2n+1) messages) and re-examined once h advances, instead of being lost — the
   * peers that are ahead have no reason to retransmit it. Likewise, during a view change, a
   * message of a view up to the one this replica is changing to (peers installed its NEW-VIEW
   * first), re-examined once that view is installed (§4.4).
   */
  private boolean deferrable(AgreementState s, ReplicaMessage m) {
    long n = AgreementState.seqNoOf(m);
    long high = s.highWatermark();
    long v = AgreementState.viewOf(m);
    boolean aboveH = n > high && n <= high + params.watermarkWindow() && v == s.view();
    boolean laterView = s.viewChangeInProgress() && v > s.view() && v <= s.viewChangeTarget()
        && n > s.lowWatermark() && n <= high + params.watermarkWindow();
    return (aboveH || laterView)
        && params.isMember(m.sender()) && !m.sender().equals(self)
        && s.deferred().size() < (long) params.watermarkWindow() * (2L * params.n() + 1);
  }

  /**
   * A correct replica sends normal-case messages only inside its watermarks, so one for seqNo n
   * means its h is at least n - L. If that is above everything this replica executed, it is
   * behind a stable checkpoint whose CHECKPOINTs it missed (it was down when they were sent, and
   * nobody re-sends them): block commit fetches the state ({@link Signal.StateBehind}). Only for
   * messages above H, which a replica in step with its peers never receives, so the normal case
   * pays nothing; deferring them alone is not enough in a quiet cluster, where no new
   * CHECKPOINT ever arrives to start the transfer.
   */
  private void farAhead(AgreementState s, ReplicaMessage m, Decision.Builder<AgreementEvent> b) {
    long n = AgreementState.seqNoOf(m);
    long peerLow = n - params.watermarkWindow();
    if (n > s.highWatermark() && peerLow > s.lastDeliveredSeqNo()
        && params.isMember(m.sender()) && !m.sender().equals(self)
        && m.verify(params.clusterId(), auth)) {
      b.output(new Output.ToSibling(new Signal.StateBehind(peerLow, m.sender())));
    }
  }

  /**
   * PBFT TOCS'02 §4.5/§5: replicas bring a lagging replica up to date. A replica that missed a
   * view change (it was down, or cut off, while the others installed view w) drops every message
   * of w and would stay in its old view for ever: the others do not re-send their VIEW-CHANGEs
   * once w is installed, and an old primary runs no view-change timer. So a correctly signed
   * PRE-PREPARE, PREPARE or COMMIT of a view above the one this replica is in (or changing to)
   * is reported to election, which joins w once f+1 distinct replicas are seen in views >= w
   * (f+1 guarantee that one correct replica is in such a view).
   */
  private void higherView(AgreementState s, ReplicaMessage m, long view,
      Decision.Builder<AgreementEvent> b) {
    if (admission.fromHigherView(s, m, view)) {
      b.output(new Output.ToSibling(new Signal.HigherViewSeen(view, m.sender())));
    }
  }

  /**
   * Tells election, once per peer after a (re)start, that {@code m} — admitted, so correctly
   * signed — shows its sender in this replica's view or above: a restarted replica runs its
   * view-change timer only once f+1 peers are heard ({@link Signal.PeerInStep}). Bounded: n - 1
   * signals per start; nothing on the normal-case path afterwards.
   */
  private void reportPeer(AgreementState s, ReplicaMessage m, long view,
      Decision.Builder<AgreementEvent> b) {
    if (view < s.view() || m.sender().equals(self) || s.reported(m.sender())) {
      return;
    }
    b.persist(new AgreementEvent.PeerReported(m.sender()));
    b.output(new Output.ToSibling(new Signal.PeerInStep(view, m.sender())));
  }

  /**
   * A (re)started replica acts on its journal's view only once f+1 distinct peers were heard in
   * step in that very view ({@link Signal.PeerInStep}: an admitted PRE-PREPARE, PREPARE or COMMIT,
   * or a STATUS; f+1 include a correct replica, so the view is current) — or once it installs a
   * new view. Until then, if it is that view's primary by its journal, it proposes nothing and
   * holds the client requests it takes ({@link AgreementEvent.HeldUntilViewConfirmed}).
   *
   * <p>Why: the replica that restarts after a primary kill is that primary, in its old view, and
   * a Pekko incarnation takes client requests seconds before it reaches any peer. It used to
   * pre-prepare them in the old view: its relay and its PRE-PREPARE reached no one, a state
   * transfer then moved h past that seqNo and discarded the slot, and the requests — answered 202
   * — existed nowhere (issue 7, PrimaryKillsIT: 6 of 1,296 lost, all accepted by a restarted
   * replica in that window). Holding keeps PBFT's promise for a request a replica accepted,
   * OSDI'99 §4.1: "if the replica is not the primary, it relays the request to the primary. If
   * the primary does not multicast the request to the group, it will eventually be suspected to
   * be faulty by enough replicas to cause a view change" — a held request reaches the primary of
   * the current view: at the view change that brings this replica up to date ({@link
   * ViewChanges#onViewInstalled} hands it over), or at confirmation below, or by {@link
   * Retransmitter#resendHeld}; and it is not dropped at a stable checkpoint (accepted here).
   *
   * <p>At confirmation: the primary adopts what it holds into its pool and proposes it; a backup
   * sends the requests it accepted itself to the primary at once (their relay may have reached
   * no one).
   */
  private void confirmView(AgreementState s, Signal.PeerInStep p,
      Decision.Builder<AgreementEvent> b) {
    if (s.viewConfirmed() || p.view() != s.view() || p.sender().equals(self)
        || !params.isMember(p.sender()) || s.peersInView().contains(p.sender())) {
      return;
    }
    b.persist(new AgreementEvent.PeerInViewNoted(p.sender(), p.view()));
    b.settle();
    if (s.peersInView().size() < quorums.weak()) {
      return;
    }
    NodeId primary = params.primary(s.view());
    List<Request> mine = s.heldAcceptedHere();
    int held = self.equals(primary) ? s.heldRequests() : mine.size();
    b.persist(new AgreementEvent.ViewConfirmed(s.view(),
        List.copyOf(new TreeSet<>(s.peersInView())), held));
    b.settle();
    if (self.equals(primary)) {
      if (s.heldRequests() > 0) {
        b.persist(new AgreementEvent.PoolAdopted(s.heldRequests()));
        b.settle();
      }
      propose(s, b);
    } else if (!mine.isEmpty() && !s.viewChangeInProgress()) {
      mine.forEach(r -> b.output(new Output.Send(primary, r)));
    }
  }

  /**
   * After a message for {@code seqNo} was accepted (its event emitted): settles it into the
   * state, then emits what became true (prepared, committed-local) and delivers in order.
   */
  private void advanceAndDeliver(AgreementState s, long seqNo,
      Decision.Builder<AgreementEvent> b) {
    b.settle();
    boolean wasCommitted = s.slot(seqNo).map(Slot::isCommittedLocal).orElse(false);
    if (progress.advance(s, seqNo, s.view(), s.viewChangeInProgress(), b) && !wasCommitted) {
      long before = s.lastDeliveredSeqNo();
      progress.deliver(s, before, b);
      b.settle();
      if (s.lastDeliveredSeqNo() > before) {
        propose(s, b); // a delivery freed a place in the pipeline (adaptive batching)
      }
    }
  }

  // ---- signals from siblings, time ------------------------------------------------------------

  private void onSignal(AgreementState s, Signal signal, Decision.Builder<AgreementEvent> b) {
    if (signal instanceof Signal.ViewInstalled vi) {
      viewChanges.onViewInstalled(s, vi, b);
    } else if (signal instanceof Signal.ViewChangeRequested vcr) {
      viewChanges.onViewChangeRequested(s, vcr.newView(), b);
    } else if (signal instanceof Signal.PeerInStep p) {
      confirmView(s, p, b);
    } else if (signal instanceof Signal.PeerBehind pb) {
      retransmitter.helpBehind(s, pb.peer(), pb.lastExecuted(), s.now(), b);
    } else if (signal instanceof Signal.CheckpointStable cs && cs.seqNo() > s.lowWatermark()) {
      if (cs.seqNo() > s.lastDeliveredSeqNo() && s.heldRequests() > 0) {
        b.persist(new AgreementEvent.HeldDropped(cs.seqNo(), s.lastDeliveredSeqNo(),
            s.heldRequests()));
      }
      b.persist(new LowWatermarkAdvanced(cs.seqNo()));
      b.settle();
      progress.deliver(s, s.lastDeliveredSeqNo(), b);
      b.settle();
      propose(s, b);
      long newHigh = cs.seqNo() + params.watermarkWindow();
      List<ReplicaMessage> released = s.deferred().stream()
          .filter(m -> AgreementState.seqNoOf(m) <= newHigh
              && AgreementState.viewOf(m) <= s.view()).toList();
      if (!released.isEmpty()) {
        b.persist(new AgreementEvent.DeferredReleased(newHigh));
        released.forEach(m -> b.output(new Output.Send(self, m)));
      }
    }
  }

  private void onTick(AgreementState s, Decision.Builder<AgreementEvent> b) {
    b.persist(new Ticked(s.now() + 1));
    b.settle();
    propose(s, b);
    retransmitter.resend(s, s.now(), true, b);
    retransmitter.helpLaggards(s, s.now(), b);
    retransmitter.resendHeld(s, s.now(), b);
    batchFetch.ask(s, s.now(), true, b);
  }

  private static void reject(Decision.Builder<AgreementEvent> b, ProtocolMessage m, String why) {
    String from = m instanceof ReplicaMessage rm ? rm.sender().toString()
        : m instanceof Request r ? r.client().value() : "?";
    b.persist(new Rejected(m.type(), from, why));
  }
}
