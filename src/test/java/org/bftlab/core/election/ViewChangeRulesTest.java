package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bftlab.core.election.FakeAuth.CLUSTER;
import static org.bftlab.core.election.FakeAuth.request;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.ContractCheck;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.core.election.ElectionEvent.Rejected;
import org.bftlab.core.election.ElectionEvent.TimerExpired;
import org.bftlab.core.election.ElectionEvent.TimerStarted;
import org.bftlab.core.election.ElectionEvent.ViewChangeStarted;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.sim.Fingerprint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One {@link ElectionCore} fed by hand: the validity rules and timers of OSDI'99 §4.4. */
class ViewChangeRulesTest {
  private static final int N = 4;
  private static final long T = 10;
  private static final ProtocolParams P = NodeCluster.params(N, 4, 8, 3);
  private static final Request R = request(0, 1);

  /** Drives the election of one node through its runner (contract checks on). */
  private static final class One {
    final ElectionCore core;
    final ComponentRunner<ElectionState, ElectionEvent> runner;
    final ElectionState state;
    final List<ElectionEvent> journal = new ArrayList<>();

    One(int self) {
      core = new ElectionCore(P, new NodeId(self), auth(self), T);
      runner = new ComponentRunner<>(core, journal::addAll)
          .check(new ContractCheck<>(Fingerprint::of));
      state = runner.state();
    }

    Decision<ElectionEvent> in(Input input) {
      return runner.step(input);
    }

    Decision<ElectionEvent> signal(Signal s) {
      return in(new Input.FromSibling(s));
    }

    Decision<ElectionEvent> receive(org.bftlab.core.msg.ProtocolMessage m) {
      return in(new Input.Receive(m));
    }

    void tick(int times) {
      for (int i = 0; i < times; i++) {
        in(Input.TICK);
      }
    }
  }

  private static FakeAuth auth(int i) {
    return new FakeAuth(new NodeId(i), N);
  }

  private static PrePrepare pp(long view, long seqNo, Request... batch) {
    int primary = (int) (view % N);
    return PrePrepare.sign(CLUSTER, view, seqNo, List.of(batch), new NodeId(primary),
        auth(primary));
  }

  private static Prepare prepare(PrePrepare pp, int signer) {
    return Prepare.sign(CLUSTER, pp.view(), pp.seqNo(), pp.digest(), new NodeId(signer),
        auth(signer));
  }

  /** A certificate for (0, 1, R): the PRE-PREPARE of node-0 and PREPAREs of node-1, node-2. */
  private static PreparedCertificate cert() {
    PrePrepare pp = pp(0, 1, R);
    return new PreparedCertificate(pp.header(), List.of(prepare(pp, 1), prepare(pp, 2)));
  }

  private static ViewChange vc(int sender, long newView, List<PreparedCertificate> p) {
    return ViewChange.sign(CLUSTER, newView, 0, List.of(), p, new NodeId(sender), auth(sender));
  }

  private static List<ViewChange> v1() {
    return List.of(vc(1, 1, List.of(cert())), vc(2, 1, List.of(cert())), vc(3, 1, List.of()));
  }

  private static NewView newView(List<ViewChange> v, List<PrePrepare> o) {
    return NewView.sign(CLUSTER, 1, v, o.stream().map(PrePrepare::header).toList(),
        new NodeId(1), auth(1));
  }

  private static void assertRejected(Decision<ElectionEvent> d, String fragment) {
    assertThat(d.outputs()).isEmpty();
    assertThat(d.events()).singleElement().isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains(fragment));
  }

  @Test
  @DisplayName("§4.4: a backup accepts a NEW-VIEW whose V holds 2f+1 valid VIEW-CHANGEs and whose "
      + "O it recomputes identically: the prepared batch at its seqNo, in v+1")
  void validNewViewIsInstalled() {
    One node2 = new One(2);
    NewView nv = newView(v1(), List.of(PrePrepare.sign(CLUSTER, 1, 1, List.of(R), new NodeId(1),
        auth(1))));
    Decision<ElectionEvent> d = node2.receive(nv);
    assertThat(d.events()).singleElement().isInstanceOf(NewViewInstalled.class);
    assertThat(d.outputs()).containsExactly(new Output.ToSibling(
        new Signal.ViewInstalled(1, new NodeId(1), 0, nv.prePrepares())));
    assertThat(node2.state.view()).isEqualTo(1);
    assertThat(node2.journal).singleElement().hasToString(
        "view 1 installed, primary node-1 (min-s=0, |O|=1)");
  }

  @Test
  @DisplayName("§4.4: backups recompute O and reject a NEW-VIEW whose O differs — a null request "
      + "where a batch prepared, a missing seqNo, an extra seqNo, another digest")
  void newViewWithWrongOIsRejected() {
    One node2 = new One(2);
    NodeId p1 = new NodeId(1);
    PrePrepare nullAt1 = PrePrepare.sign(CLUSTER, 1, 1, List.of(), p1, auth(1));
    PrePrepare right = PrePrepare.sign(CLUSTER, 1, 1, List.of(R), p1, auth(1));
    PrePrepare other = PrePrepare.sign(CLUSTER, 1, 1, List.of(request(9, 9)), p1, auth(1));
    PrePrepare extra = PrePrepare.sign(CLUSTER, 1, 2, List.of(), p1, auth(1));
    assertRejected(node2.receive(newView(v1(), List.of(nullAt1))), "O differs from the recomputed O");
    assertRejected(node2.receive(newView(v1(), List.of())), "O has 0 PRE-PREPAREs");
    assertRejected(node2.receive(newView(v1(), List.of(right, extra))), "O has 2 PRE-PREPAREs");
    assertRejected(node2.receive(newView(v1(), List.of(other))), "O differs");
    // too few VIEW-CHANGEs, or a NEW-VIEW not from primary(v+1)
    assertRejected(node2.receive(newView(v1().subList(0, 2), List.of(right))), "needs 2f+1 = 3");
    NewView byNode3 = NewView.sign(CLUSTER, 1, v1(), List.of(right.header()), new NodeId(3),
        auth(3));
    assertRejected(node2.receive(byNode3), "not primary(1)");
    assertThat(node2.state.view()).isZero();
  }

  @Test
  @DisplayName("§4.4: a VIEW-CHANGE is valid only if its prepared certificates are: a PRE-PREPARE "
      + "of primary(v) and 2f matching PREPAREs from distinct backups, all correctly signed")
  void forgedPreparedCertificateIsRejected() {
    One node1 = new One(1);
    PrePrepare pp = pp(0, 1, R);
    Prepare forged = new Prepare(0, 1, pp.digest(), new NodeId(2),
        FakeAuth.sig("node-3", prepare(pp, 2).signedBytes(CLUSTER)));
    PrePrepare byBackup = PrePrepare.sign(CLUSTER, 0, 1, List.of(R), new NodeId(3), auth(3));
    PrePrepare otherDigest = pp(0, 1, request(5, 5));
    List<PreparedCertificate> bad = List.of(
        new PreparedCertificate(pp.header(), List.of(prepare(pp, 1), forged)),
        new PreparedCertificate(pp.header(), List.of(prepare(pp, 1))),
        new PreparedCertificate(pp.header(), List.of(prepare(pp, 1), prepare(pp, 1))),
        new PreparedCertificate(pp.header(), List.of(prepare(pp, 1), Prepare.sign(CLUSTER, 0, 1,
            pp.digest(), new NodeId(0), auth(0)))),
        new PreparedCertificate(byBackup.header(), List.of(prepare(byBackup, 1), prepare(byBackup, 2))),
        new PreparedCertificate(pp.header(), List.of(prepare(pp, 1), prepare(otherDigest, 2))));
    List<String> why = List.of("is not signed by node-2", "needs 2f = 2",
        "not from a distinct backup", "not from a distinct backup", "not primary(0)",
        "does not match");
    for (int i = 0; i < bad.size(); i++) {
      assertRejected(node1.receive(vc(3, 1, List.of(bad.get(i)))), why.get(i));
    }
    // a forged checkpoint proof: n = 4 with only two CHECKPOINTs
    List<Checkpoint> two = List.of(
        Checkpoint.sign(CLUSTER, 4, Digest.ZERO, new NodeId(2), auth(2)),
        Checkpoint.sign(CLUSTER, 4, Digest.ZERO, new NodeId(3), auth(3)));
    assertRejected(node1.receive(ViewChange.sign(CLUSTER, 1, 4, two, List.of(), new NodeId(3),
        auth(3))), "has 2 CHECKPOINTs, needs 3");
    // and a NEW-VIEW whose V holds such a VIEW-CHANGE
    One node2 = new One(2);
    List<ViewChange> v = List.of(vc(1, 1, List.of()), vc(2, 1, List.of()),
        vc(3, 1, List.of(bad.get(0))));
    assertRejected(node2.receive(newView(v, List.of())), "V holds an invalid VIEW-CHANGE from node-3");
    // the valid one is accepted
    assertThat(node1.receive(vc(3, 1, List.of(cert()))).events()).singleElement()
        .isInstanceOf(ElectionEvent.ViewChangeAccepted.class);
  }

  @Test
  @DisplayName("§4.4: the timer of the k-th consecutive view change without progress waits "
      + "T·2^(k-1) (\"it will wait 2T before starting a view change for view v+3\"); progress "
      + "resets it to T")
  void timeoutDoubles() {
    // n = 7 and node-6, which is primary of none of the views 0..4
    ProtocolParams p7 = NodeCluster.params(7, 4, 8, 3);
    ElectionCore core = new ElectionCore(p7, new NodeId(6), new FakeAuth(new NodeId(6), 7), T);
    ComponentRunner<ElectionState, ElectionEvent> runner =
        new ComponentRunner<>(core, ComponentRunner.noJournal());
    ElectionState[] s = {runner.state()};
    java.util.function.Function<Input, Decision<ElectionEvent>> in = runner::step;
    in.apply(new Input.FromSibling(new Signal.RequestAwaited(R.txId())));
    assertThat(s[0].timerDeadline()).isEqualTo(T);
    List<Long> timeouts = new ArrayList<>();
    for (long w = 1; w <= 4; w++) {
      long before = s[0].now();
      Decision<ElectionEvent> last = Decision.none();
      while (last.events().stream().noneMatch(TimerExpired.class::isInstance)) {
        last = in.apply(Input.TICK);
        assertThat(s[0].now() - before).isLessThan(100 * T);
      }
      timeouts.add(s[0].now() - before);
      assertThat(last.outputs()).contains(
          new Output.ToSibling(new Signal.ViewChangeRequested(w)));
      in.apply(new Input.FromSibling(new Signal.PreparedCertificatesCollected(w, 0, List.of())));
      assertThat(s[0].pendingView()).isEqualTo(w);
      assertThat(s[0].timerRunning()).isFalse(); // starts once 2f+1 VIEW-CHANGEs are in
      for (int j = 0; j < 4; j++) {
        in.apply(new Input.Receive(ViewChange.sign(CLUSTER, w, 0, List.of(), List.of(),
            new NodeId(j), new FakeAuth(new NodeId(j), 7))));
      }
      assertThat(s[0].timerRunning()).isTrue();
    }
    // request timer T, then T, 2T, 4T for the view changes to 1, 2, 3 (the 4th runs 8T)
    assertThat(timeouts).containsExactly(T, T, 2 * T, 4 * T);
    assertThat(s[0].timerDeadline() - s[0].now()).isEqualTo(8 * T);
    assertThat(s[0].viewChangesWithoutProgress()).isEqualTo(4);
  }

  @Test
  @DisplayName("§4.4: \"if a replica receives a set of f+1 valid VIEW-CHANGE messages from other "
      + "replicas for views greater than its current view, it sends a VIEW-CHANGE message for the "
      + "smallest view in the set, even if its timer has not expired\"")
  void fPlusOneHigherViewChangesMakeAReplicaJoin() {
    One node3 = new One(3);
    Decision<ElectionEvent> first = node3.receive(vc(1, 2, List.of()));
    assertThat(first.outputs()).isEmpty();
    Decision<ElectionEvent> second = node3.receive(vc(2, 1, List.of()));
    assertThat(second.events()).anyMatch(ElectionEvent.ViewChangeJoined.class::isInstance);
    assertThat(second.outputs()).containsExactly(
        new Output.ToSibling(new Signal.ViewChangeRequested(1)));
    // the agreement answers; the replica signs its VIEW-CHANGE for the smallest view, 1
    Decision<ElectionEvent> signed = node3.signal(
        new Signal.PreparedCertificatesCollected(1, 0, List.of()));
    assertThat(signed.events()).first().isInstanceOfSatisfying(ViewChangeStarted.class,
        e -> assertThat(e.view()).isEqualTo(1));
  }

  @Test
  @DisplayName("Persist before send, and never two VIEW-CHANGEs for one view: a second request "
      + "for the same view resends the logged one; apply refuses a different one")
  void neverSignsTwoViewChangesForOneView() {
    One node2 = new One(2);
    Decision<ElectionEvent> d = node2.signal(new Signal.PreparedCertificatesCollected(1, 0,
        List.of()));
    ViewChange own = ((ViewChangeStarted) d.events().get(0)).own();
    assertThat(d.outputs()).containsExactly(new Output.Multicast(own));
    // after a restart (journal replay) the agreement hands over a different P for view 1
    One restarted = new One(2);
    node2.journal.forEach(restarted.runner::replay);
    assertThat(restarted.runner.recover().outputs()).contains(new Output.Multicast(own));
    Decision<ElectionEvent> again = restarted.signal(
        new Signal.PreparedCertificatesCollected(1, 0, List.of(cert())));
    assertThat(again.events()).noneMatch(ViewChangeStarted.class::isInstance);
    assertThat(again.outputs()).containsExactly(new Output.Multicast(own));
    ViewChange other = vc(2, 1, List.of(cert()));
    assertThatThrownBy(() -> restarted.core.apply(restarted.state, new ViewChangeStarted(other)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("second VIEW-CHANGE");
  }

  @Test
  @DisplayName("§4.4: the primary does not run the timer; a backup stops it when the request "
      + "executes")
  void timerFollowsPendingRequests() {
    One primary = new One(0);
    primary.signal(new Signal.RequestAwaited(R.txId()));
    assertThat(primary.state.timerRunning()).isFalse();
    One backup = new One(1);
    assertThat(backup.signal(new Signal.RequestAwaited(R.txId())).events())
        .anyMatch(TimerStarted.class::isInstance);
    backup.tick((int) T - 1);
    backup.signal(new Signal.BatchExecuted(0, 1, List.of(R.txId())));
    assertThat(backup.state.timerRunning()).isFalse();
    backup.tick((int) T * 3);
    assertThat(backup.state.viewChangeInProgress()).isFalse();
    assertThat(backup.state.view()).isZero();
  }
}
