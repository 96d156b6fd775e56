package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import org.bftlab.core.election.ElectionEvent.HigherViewJoined;
import org.bftlab.core.election.ElectionEvent.NewViewResent;
import org.bftlab.core.election.ElectionEvent.ViewChangeStarted;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A replica that fell behind — in view, in sequence numbers, or both — rejoins (PBFT TOCS'02
 * §4.5 and §5: the other replicas bring a lagging replica up to date). Three components per
 * node over the deterministic {@link NodeCluster}; K = 4, L = 8, retransmit 5 ticks, T = 20.
 */
class RejoinClusterTest {
  private static final long T = 20;

  private static NodeCluster cluster(int n) {
    return new NodeCluster(NodeCluster.params(n, 4, 8, 5), T);
  }

  /** Live nodes that executed {@code r}. */
  private static int executedAt(NodeCluster c, Request r) {
    int k = 0;
    for (int i = 0; i < c.n; i++) {
      if (!c.isDown(i) && c.ls(i).hasTx(r.txId())) {
        k++;
      }
    }
    return k;
  }

  /**
   * As the client does: submit at one node, wait until 2f+1 = 3 replicas executed it (f+1
   * matching replies from correct ones), re-send to every node after 2T.
   */
  private static long clientCommit(NodeCluster c, Request r, int node, int maxTicks) {
    c.submit(node, r);
    long start = c.ticks;
    c.run();
    while (executedAt(c, r) < 3) {
      if (c.ticks - start >= maxTicks) {
        throw new AssertionError("not executed after " + maxTicks + " ticks: " + describe(c));
      }
      if (c.ticks - start == 2 * T) {
        c.broadcast(r);
      }
      c.tick(1);
    }
    return c.ticks - start;
  }

  /** Ticks until every live node has the same head as {@code ref}. */
  private static long untilSameHeads(NodeCluster c, int maxTicks) {
    return c.tickUntil(() -> {
      for (int i = 1; i < c.n; i++) {
        if (c.isDown(i) || !c.ls(i).headHash().equals(c.ls(0).headHash())) {
          return false;
        }
      }
      return true;
    }, maxTicks);
  }

  private static String describe(NodeCluster c) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < c.n; i++) {
      b.append("\n node-").append(i).append(c.isDown(i) ? " DOWN" : "")
          .append(" view=").append(c.es(i).view()).append(" pending=").append(c.es(i).pendingView())
          .append(" h=").append(c.as(i).lowWatermark())
          .append(" height=").append(c.ls(i).height())
          .append(" stable=").append(c.ls(i).lastStableCheckpoint());
    }
    return b.toString();
  }

  @Test
  @DisplayName("TOCS'02 §4.5: the old primary, restarted from its journal after the others "
      + "installed view 1, learns view 1 from f+1 replicas, gets the NEW-VIEW from its primary, "
      + "installs it and executes new requests")
  void oldPrimaryRestartedAfterTheViewChangeLearnsTheView() {
    NodeCluster c = cluster(4);
    for (long t = 1; t <= 8; t++) {
      clientCommit(c, request(0, t), 0, 200);
    }
    c.crash(0);
    Request r = request(1, 100);
    c.broadcast(r);
    c.tickUntil(() -> executedAt(c, r) == 3, 500);
    for (long t = 101; t <= 106; t++) { // the others move on: checkpoints 12, (16)
      clientCommit(c, request(1, t), 1, 200);
    }
    assertThat(c.es(1).view()).isEqualTo(1);
    c.restart(0);
    assertThat(c.es(0).view()).isZero();
    // the client goes round the nodes; node-0 still believes it is primary of view 0
    for (long t = 200; t < 208; t++) {
      clientCommit(c, request(2, t), (int) (t % 4), 400);
    }
    untilSameHeads(c, 200);
    System.out.println("old primary after restart:" + describe(c));
    assertThat(c.events(0, HigherViewJoined.class)).first()
        .satisfies(e -> assertThat(e.newView()).isEqualTo(1));
    assertThat(c.events(1, NewViewResent.class)).isNotEmpty(); // the primary of view 1 answered
    for (int i = 0; i < 4; i++) {
      assertThat(c.es(i).view()).as("view at node-%d", i).isEqualTo(1);
      assertThat(c.es(i).viewChangeInProgress()).isFalse();
      assertThat(c.as(i).view()).isEqualTo(1);
      c.deliveredDigests(i); // never two digests for one seqNo
    }
    Request last = request(3, 1);
    clientCommit(c, last, 0, 200);
    c.tickUntil(() -> c.executedEverywhere(last), 100);
    assertThat(c.ls(0).headHash()).isEqualTo(c.ls(1).headHash());
  }

  @Test
  @DisplayName("§4.3 + TOCS'02 §5.2: a backup restarted more than L behind catches up by state "
      + "transfer and then fills the seqNos above the transferred checkpoint from its peers, "
      + "whose far CHECKPOINT started the transfer")
  void backupRestartedFarBehindCatchesUpToTheTip() {
    NodeCluster c = cluster(4);
    for (long t = 1; t <= 6; t++) {
      clientCommit(c, request(0, t), 0, 200);
    }
    c.crash(3);
    for (long t = 7; t <= 30; t++) {
      clientCommit(c, request(0, t), (int) (t % 3), 200);
    }
    assertThat(c.as(0).lowWatermark()).isGreaterThan(6 + 8);
    c.restart(3);
    for (long t = 31; t <= 34; t++) {
      clientCommit(c, request(0, t), (int) (t % 4), 400);
    }
    untilSameHeads(c, 200);
    for (long t = 35; t <= 42; t++) {
      clientCommit(c, request(0, t), (int) (t % 4), 400);
    }
    untilSameHeads(c, 200);
    System.out.println("backup after state transfer:" + describe(c));
    assertThat(c.ls(3).height()).isEqualTo(42);
    assertThat(c.ls(3).lastStableCheckpoint()).isEqualTo(c.ls(0).lastStableCheckpoint());
    assertThat(c.es(3).viewChangeInProgress()).isFalse();
  }

  @Test
  @DisplayName("§4.2 + TOCS'02 §5.2: a peer that dropped the messages of some seqNos gets the "
      + "committed replicas' messages again every retransmitTicks until its COMMIT arrives")
  void laggardIsHelpedUntilItCommits() {
    NodeCluster c = cluster(4);
    // node-3 loses everything for seqNos 1-2, twice as long as one help round
    long[] healAt = {Long.MAX_VALUE};
    c.drop = e -> e.to().index() == 3 && c.ticks < healAt[0];
    for (long t = 1; t <= 2; t++) {
      clientCommit(c, request(0, t), 0, 200);
    }
    c.tick(12); // helpLaggards fired (and was lost) at least once
    healAt[0] = c.ticks;
    c.tickUntil(() -> c.ls(3).height() == 2, 50);
  }

  @Test
  @DisplayName("§4.4: a backup cut off while it waited for a request starts a view change alone; "
      + "the others stay in view 0; healed, it follows view 0 passively (signing nothing in it "
      + "after its VIEW-CHANGE) and reaches the same head")
  void loneViewChangeStillFollowsTheOthers() {
    NodeCluster c = cluster(4);
    for (long t = 1; t <= 3; t++) {
      clientCommit(c, request(0, t), 0, 200);
    }
    c.drop = e -> e.to().index() == 3 || e.from().index() == 3;
    c.submit(3, request(1, 1)); // forwarded to the primary: lost; node-3's timer runs
    for (long t = 4; t <= 6; t++) {
      clientCommit(c, request(0, t), (int) (t % 3), 200);
    }
    c.tickUntil(() -> c.es(3).viewChangeInProgress(), 3 * (int) T);
    assertThat(c.events(3, ViewChangeStarted.class)).singleElement()
        .satisfies(e -> assertThat(e.view()).isEqualTo(1));
    int sentBefore = c.sent.size();
    c.drop = e -> false;
    for (long t = 7; t <= 14; t++) {
      clientCommit(c, request(0, t), (int) (t % 4), 400);
    }
    untilSameHeads(c, 300);
    System.out.println("lone view change:" + describe(c));
    for (int i = 0; i < 3; i++) {
      assertThat(c.es(i).view()).isZero();
      assertThat(c.es(i).viewChangeInProgress()).isFalse();
    }
    assertThat(c.ls(3).height()).isEqualTo(c.ls(0).height()).isGreaterThanOrEqualTo(14);
    // node-3 signed no PREPARE or COMMIT of view 0 after its VIEW-CHANGE
    assertThat(c.sent.subList(sentBefore, c.sent.size())).noneMatch(e -> e.from().index() == 3
        && (e.message() instanceof Prepare p && p.view() == 0 && p.seqNo() > 6
            || e.message() instanceof Commit cm && cm.view() == 0 && cm.seqNo() > 6));
    for (int i = 0; i < 4; i++) {
      c.deliveredDigests(i);
    }
  }
}
