package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import java.util.List;
import org.bftlab.core.Input;
import org.bftlab.core.Signal;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.core.election.ElectionEvent.TimerExpired;
import org.bftlab.core.election.ElectionEvent.ViewChangeStarted;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * View changes that converge (issue 7, item 3), rule by rule, in the style of etcd's
 * raft_paper_test.go: each test quotes the sentence of Castro &amp; Liskov (OSDI'99 §4.4,
 * §4.5.2; TOCS'02 §4.5) it checks. The clients here never retransmit.
 */
class ConvergenceRulesTest {
  /** K = 4, L = 8, retransmit 5 ticks; T = 20 ticks. */
  private static final long T = 20;

  private static NodeCluster cluster() {
    return new NodeCluster(NodeCluster.params(4, 4, 8, 5), T);
  }

  private static void commitSome(NodeCluster c, int at, long from, int count) {
    for (long t = from; t < from + count; t++) {
      Request r = request(0, t);
      c.submit(at, r);
      c.tickUntil(() -> c.executedEverywhere(r), 50);
    }
  }

  @Test
  @DisplayName("OSDI'99 §4.4: \"A backup is waiting for a request if it received a valid request "
      + "and has not executed it\" — a request accepted by the primary alone is relayed, so every "
      + "backup waits for it and the view change that replaces a primary killed before it "
      + "proposed carries it into the new view; the client never retransmits")
  void requestAcceptedByAKilledPrimaryCommitsInTheNextView() {
    NodeCluster c = cluster();
    commitSome(c, 0, 1, 2);
    c.drop = e -> e.message() instanceof PrePrepare; // the primary dies before proposing
    Request r = request(1, 100);
    c.submit(0, r);
    c.run();
    for (int i = 1; i < 4; i++) {
      assertThat(c.es(i).pendingRequests()).as("node-%d waits for it", i).contains(r.txId());
      assertThat(c.es(i).timerRunning()).isTrue();
    }
    c.crash(0);
    c.drop = e -> false;
    long took = c.tickUntil(() -> c.executedEverywhere(r), 10 * (int) T);
    System.out.println("request accepted by the killed primary executed " + took + " ticks later");
    for (int i = 1; i < 4; i++) {
      assertThat(c.es(i).view()).as("one view per primary kill").isEqualTo(1);
    }
    assertThat(took).isLessThanOrEqualTo(2 * T + 10);
  }

  @Test
  @DisplayName("OSDI'99 §4.4: the new primary \"creates a new pre-prepare message for view v+1 for "
      + "each sequence number between min-s and max-s\", a null request where P has no "
      + "certificate — a request pre-prepared in view v that did not prepare is orphaned; every "
      + "backup holds it again and hands it to the new primary, which proposes it (TOCS'02 §4.5)")
  void requestPrePreparedInAViewThatDidNotSurviveIsProposedAgain() {
    NodeCluster c = cluster();
    commitSome(c, 0, 1, 2);
    // the backups wait for r (relayed) and accept its PRE-PREPARE, which ends their holding it;
    // nobody prepares it in view 0
    c.drop = e -> e.message() instanceof Prepare || e.message() instanceof Commit;
    Request r = request(1, 200);
    c.submit(0, r);
    c.run();
    for (int i = 1; i < 4; i++) {
      assertThat(c.as(i).holds(r.txId())).as("node-%d accepted the PRE-PREPARE", i).isFalse();
      assertThat(c.as(i).knowsTx(r.txId())).isTrue();
      assertThat(c.es(i).pendingRequests()).contains(r.txId());
    }
    Digest withR = c.as(1).slots().stream().flatMap(sl -> sl.entries().stream())
        .flatMap(e -> e.prePrepare().stream()).filter(pp -> pp.batch().contains(r))
        .map(PrePrepare::digest).findFirst().orElseThrow();
    c.crash(0);
    // view 0 never completes it: the backups' retransmitted PREPAREs are lost too
    c.drop = e -> e.message() instanceof Prepare p && p.view() == 0;
    long took = c.tickUntil(() -> c.executedEverywhere(r), 10 * (int) T);
    assertThat(c.sentOf(NewView.class)).singleElement().satisfies(nv ->
        assertThat(nv.prePrepares()).as("O: a null request where r was")
            .noneMatch(pp -> pp.digest().equals(withR)));
    System.out.println("orphaned request executed " + took + " ticks after the primary's crash");
    for (int i = 1; i < 4; i++) {
      assertThat(c.es(i).view()).isEqualTo(1);
      assertThat(c.es(i).pendingRequests()).doesNotContain(r.txId());
    }
  }

  @Test
  @DisplayName("OSDI'99 §4.4: a backup \"stops the timer when it is no longer waiting to execute "
      + "the request\" — a backup kill, with requests submitted at the killed backup and at the "
      + "others, causes no view change")
  void backupKillCausesNoViewChange() {
    NodeCluster c = cluster();
    commitSome(c, 0, 1, 3);
    Request atVictim = request(1, 300);
    c.submit(3, atVictim);
    c.crash(3); // kill -9 right after it accepted the request
    c.run();
    for (int k = 0; k < 12; k++) {
      Request r = request(1, 301 + k);
      c.submit(1 + k % 2, r);
      c.tickUntil(() -> c.executedEverywhere(r), 50);
    }
    c.tickUntil(() -> c.executedEverywhere(atVictim), 50);
    c.tick(4 * (int) T);
    for (int i = 0; i < 3; i++) {
      assertThat(c.es(i).view()).isZero();
      assertThat(c.events(i, TimerExpired.class)).as("node-%d timer", i).isEmpty();
      assertThat(c.events(i, ViewChangeStarted.class)).isEmpty();
    }
  }

  @Test
  @DisplayName("OSDI'99 §4.4 with §4.3 state transfer: a backup that waited for a request which "
      + "it then executed by fetching state (no BatchExecuted ever comes) stops waiting; it does "
      + "not start a view change alone, once per T, for a request that will never execute again")
  void waitingEndsWhenStateTransferExecutedTheRequest() {
    NodeCluster c = cluster();
    commitSome(c, 0, 1, 2);
    Request r = request(1, 400);
    // node-3 hears of r, then nothing from the normal case or checkpoints until well past H
    c.drop = e -> e.to().index() == 3 && !(e.message() instanceof Request);
    c.submit(0, r);
    c.run();
    assertThat(c.es(3).pendingRequests()).contains(r.txId());
    c.tickUntil(() -> c.executedEverywhere(request(1, 400)) || c.ls(0).hasTx(r.txId()), 50);
    for (int k = 0; k < 14; k++) {
      Request q = request(0, 500 + k);
      c.submit(0, q);
      c.tickUntil(() -> c.ls(0).hasTx(q.txId()) && c.ls(1).hasTx(q.txId()), 50);
    }
    c.drop = e -> false;
    c.tickUntil(() -> c.ls(3).hasTx(r.txId()), 10 * (int) T);
    c.tick(4 * (int) T);
    assertThat(c.es(3).pendingRequests()).doesNotContain(r.txId());
    for (int i = 0; i < 4; i++) {
      assertThat(c.es(i).view()).as("node-%d view", i).isZero();
      assertThat(c.events(i, ViewChangeStarted.class)).as("node-%d", i).isEmpty();
    }
    assertThat(c.events(3, ElectionEvent.PendingDropped.class)).isNotEmpty();
    assertThat(c.sentOf(Checkpoint.class)).isNotEmpty();
    assertThat(c.events(3, NewViewInstalled.class)).isEmpty();
  }

  @Test
  @DisplayName("OSDI'99 §4.4: the timer detects a faulty primary — a backup that lags behind and "
      + "executes batches of the current view restarts its timer instead of leaving the view "
      + "alone; a primary that makes progress but censors one request is still replaced after "
      + "4T")
  void progressRestartsTheTimerUpToABound() {
    NodeCluster.Part<ElectionState, ElectionEvent> b = new NodeCluster.Part<>(new ElectionCore(
        NodeCluster.params(4, 4, 8, 5), new NodeId(1),
        new FakeAuth(new NodeId(1), 4), T));
    Request waited = request(1, 700);
    b.step(new Input.FromSibling(
        new Signal.RequestAwaited(waited.txId())));
    assertThat(b.state.timerRunning()).isTrue();
    long seqNo = 0;
    long expiredAt = -1;
    for (int t = 1; t <= 6 * T && expiredAt < 0; t++) {
      b.step(Input.TICK);
      if (!b.state.pendingRequests().isEmpty() && b.state.viewChangesWithoutProgress() > 0) {
        expiredAt = t;
      }
      if (t % (T / 2) == 0) { // another request executes every T/2 ticks: the primary is alive
        Request other = request(0, 800 + t);
        b.step(new Input.FromSibling(new Signal.BatchExecuted(0, ++seqNo, List.of(other.txId()))));
      }
    }
    assertThat(expiredAt).as("progress restarts the timer for 4T, then the waited request "
        + "wins").isGreaterThan(4 * T).isLessThanOrEqualTo(5 * T + 1);
    assertThat(b.trace).filteredOn(TimerExpired.class::isInstance).hasSize(1);
  }

  @Test
  @DisplayName("OSDI'99 §4.4: once replica i sent VIEW-CHANGE for v+2 it must not prepare or "
      + "commit in a lower view; a replica whose NEW-VIEW for v+1 arrived after its timer sent it "
      + "to v+2 installs v+1 passively: it signs nothing in v+1, learns the commits of the others "
      + "and executes what they execute, with no state transfer and no other view change")
  void aReplicaWhoseNewViewCameTooLateFollowsThatViewPassively() {
    NodeCluster c = cluster();
    commitSome(c, 0, 1, 2);
    // the primary of view 0 proposes nothing more; node-2 does not get view 1's NEW-VIEW
    c.drop = e -> (e.message() instanceof PrePrepare && e.from().index() == 0)
        || (e.message() instanceof NewView && e.to().index() == 2);
    Request r = request(1, 500);
    c.submit(1, r);
    c.tickUntil(() -> c.es(2).pendingView() >= 2, 20 * (int) T);
    assertThat(c.es(2).pendingView()).as("node-2's timer for view 1 expired").isEqualTo(2);
    for (int i : new int[] {0, 1, 3}) {
      assertThat(c.es(i).view()).as("node-%d installed view 1", i).isEqualTo(1);
    }
    c.drop = e -> false; // node-2's VIEW-CHANGE for view 2 reaches node-1 again
    long took = c.tickUntil(() -> c.executedEverywhere(r), 10 * (int) T);
    System.out.println("node-2 executed r " + took + " ticks after the link came back");
    assertThat(c.executedEverywhere(r)).isTrue();
    Request r2 = request(1, 501);
    c.submit(0, r2);
    c.tickUntil(() -> c.executedEverywhere(r2), 10 * (int) T);
    assertThat(c.executedEverywhere(r2)).as("node-2 follows view 1").isTrue();
    assertThat(c.es(2).view()).as("node-2 installed view 1").isEqualTo(1);
    assertThat(c.es(2).pendingView()).as("and still changes to view 2").isEqualTo(2);
    assertThat(c.viewChangesSentBy(2)).extracting(vc -> vc.newView())
        .as("one VIEW-CHANGE per view, none re-signed").containsExactly(1L, 2L);
    assertThat(c.sentOf(Prepare.class)).filteredOn(p -> p.sender().index() == 2)
        .as("no PREPARE of node-2 in view 1").noneMatch(p -> p.view() == 1);
    assertThat(c.sentOf(Commit.class)).filteredOn(m -> m.sender().index() == 2)
        .as("no COMMIT of node-2 in view 1").noneMatch(m -> m.view() == 1);
    for (int i = 0; i < 4; i++) {
      assertThat(c.es(i).view()).as("node-%d", i).isEqualTo(1);
    }
    assertThat(c.ls(2).height()).isEqualTo(c.ls(1).height());
  }
}
