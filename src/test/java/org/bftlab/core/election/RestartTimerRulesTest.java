package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent.HeldRequestsResent;
import org.bftlab.core.election.ElectionEvent.InStepWithPeers;
import org.bftlab.core.election.ElectionEvent.TimerExpired;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ViewChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A restarted replica must not start a view change of its own (issue 7, PrimaryKillsIT's backup
 * kill), rule by rule. The rule it protects is OSDI'99 §4.4: "If the timer of backup i expires
 * in view v, the backup starts a view change to move the system to view v+1. It stops accepting
 * messages (other than checkpoint, view-change, and new-view messages)" — once it has sent that
 * VIEW-CHANGE it may never prepare or commit in view v again, so a timer that measured this
 * replica's own isolation instead of the primary leaves it stranded in a view change of its own.
 */
class RestartTimerRulesTest {
  /** K = 4, L = 8, retransmit 5 ticks; T = 20 ticks. */
  private static final long T = 20;
  private static final NodeId SELF = new NodeId(1);

  private static NodeCluster.Part<ElectionState, ElectionEvent> restartedBackup() {
    NodeCluster.Part<ElectionState, ElectionEvent> b = new NodeCluster.Part<>(new ElectionCore(
        NodeCluster.params(4, 4, 8, 5), SELF, new FakeAuth(SELF, 4), T));
    b.restart();
    return b;
  }

  private static List<Output> signal(NodeCluster.Part<ElectionState, ElectionEvent> b,
      Signal s) {
    return b.step(new Input.FromSibling(s)).outputs();
  }

  private static List<Output> tick(NodeCluster.Part<ElectionState, ElectionEvent> b, long times) {
    List<Output> out = new ArrayList<>();
    for (long t = 0; t < times; t++) {
      out.addAll(b.step(Input.TICK).outputs());
    }
    return out;
  }

  @Test
  @DisplayName("OSDI'99 §4.4: \"A backup is waiting for a request if it received a valid request "
      + "and has not executed it. A backup starts a timer when it receives a request and the "
      + "timer is not already running\" — after a (re)start the timer measures the primary only "
      + "once f+1 distinct peers were heard in this replica's view or above; until then a "
      + "pending request runs no timer, however long it waits")
  void aRestartedBackupRunsItsTimerOnlyOnceFPlusOnePeersAreHeard() {
    NodeCluster.Part<ElectionState, ElectionEvent> b = restartedBackup();
    assertThat(b.state.awaitingPeers()).isTrue();
    Request r = request(2, 1);
    signal(b, new Signal.RequestAwaited(r.txId()));
    assertThat(b.state.pendingRequests()).contains(r.txId());
    assertThat(b.state.timerRunning()).as("no timer while no peer is heard").isFalse();
    assertThat(tick(b, 5 * T)).as("5T later: still no view change")
        .noneMatch(o -> o instanceof Output.ToSibling t
            && t.signal() instanceof Signal.ViewChangeRequested);

    // evidence that does not count: this replica itself, a non-member, the same peer twice
    signal(b, new Signal.PeerInStep(0, SELF));
    signal(b, new Signal.PeerInStep(0, new NodeId(7)));
    signal(b, new Signal.PeerInStep(0, new NodeId(2)));
    signal(b, new Signal.PeerInStep(0, new NodeId(2)));
    assertThat(b.state.peersHeard()).containsExactly(new NodeId(2));
    assertThat(b.state.awaitingPeers()).as("one peer is not f+1 = 2").isTrue();
    assertThat(b.state.timerRunning()).isFalse();

    // the second distinct peer: in step; the request is timed from now
    long heardAt = b.state.now();
    signal(b, new Signal.PeerInStep(0, new NodeId(3)));
    assertThat(b.trace).filteredOn(InStepWithPeers.class::isInstance).singleElement()
        .isEqualTo(new InStepWithPeers(List.of(new NodeId(2), new NodeId(3))));
    assertThat(b.state.awaitingPeers()).isFalse();
    assertThat(b.state.timerRunning()).isTrue();
    assertThat(b.state.timerDeadline()).isEqualTo(heardAt + T);

    // now a silent primary is replaced as always: the timer expires after T
    List<Output> out = tick(b, T);
    assertThat(b.trace).filteredOn(TimerExpired.class::isInstance).hasSize(1);
    assertThat(out).contains(new Output.ToSibling(new Signal.ViewChangeRequested(1)));
  }

  @Test
  @DisplayName("Peers seen in a higher view (TOCS'02 §4.5) show this replica is behind, not in "
      + "step: they do not count, nor does installing the view they lead to; a replica that never "
      + "restarted (no recover) times requests at once, as before")
  void higherViewsDoNotCountAndAFreshCoreIsUnchanged() {
    NodeCluster.Part<ElectionState, ElectionEvent> b = restartedBackup();
    signal(b, new Signal.HigherViewSeen(3, new NodeId(2)));
    signal(b, new Signal.HigherViewSeen(3, new NodeId(3)));
    assertThat(b.state.peersHeard()).isEmpty();
    assertThat(b.state.awaitingPeers()).isTrue();
    signal(b, new Signal.PeerInStep(0, new NodeId(0)));
    signal(b, new Signal.PeerInStep(0, new NodeId(2)));
    assertThat(b.state.awaitingPeers()).isFalse();

    NodeCluster.Part<ElectionState, ElectionEvent> fresh = new NodeCluster.Part<>(
        new ElectionCore(NodeCluster.params(4, 4, 8, 5), SELF, new FakeAuth(SELF, 4), T));
    assertThat(fresh.state.awaitingPeers()).isFalse();
    signal(fresh, new Signal.RequestAwaited(request(2, 2).txId()));
    assertThat(fresh.state.timerRunning()).isTrue();
  }

  @Test
  @DisplayName("Issue 7: a backup restarted while cut off from every peer takes a client request; "
      + "it sends no VIEW-CHANGE however long it stays cut off, and once the network heals the "
      + "request it alone holds (its relay was lost) reaches the primary and commits in view 0, "
      + "without the client retransmitting")
  void aBackupRestartedWhileCutOffStartsNoViewChangeAndLosesNoRequest() {
    NodeCluster c = new NodeCluster(NodeCluster.params(4, 4, 8, 5), T);
    for (long t = 1; t <= 3; t++) {
      Request r = request(0, t);
      c.submit(0, r);
      c.tickUntil(() -> c.executedEverywhere(r), 50);
    }
    c.crash(2);
    c.drop = e -> e.from().index() == 2 || e.to().index() == 2; // node-2 reaches nobody
    c.restart(2);
    Request alone = request(1, 100);
    c.submit(2, alone);
    c.run();
    assertThat(c.es(2).pendingRequests()).contains(alone.txId());
    c.tick((int) (5 * T));
    assertThat(c.viewChangesSentBy(2)).as("VIEW-CHANGEs sent by the cut-off backup").isEmpty();
    assertThat(c.es(2).timerRunning()).isFalse();

    c.drop = e -> false;
    long took = c.tickUntil(() -> c.executedEverywhere(alone), (int) (10 * T));
    System.out.println("request held by the restarted backup alone executed " + took
        + " ticks after the heal");
    assertThat(c.agreement.get(2).trace).filteredOn(HeldRequestsResent.class::isInstance)
        .anyMatch(e -> ((HeldRequestsResent) e).resent().contains(alone.txId()));
    for (int i = 0; i < 4; i++) {
      assertThat(c.es(i).view()).as("node-%d's view", i).isZero();
      assertThat(c.es(i).viewChangeInProgress()).isFalse();
    }
    assertThat(c.sentOf(ViewChange.class)).isEmpty();
  }
}
