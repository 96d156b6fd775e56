package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import java.util.List;
import org.assertj.core.groups.Tuple;
import org.bftlab.core.Input;
import org.bftlab.core.NodeRoute.Kind;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.core.election.ElectionEvent.Rejected;
import org.bftlab.core.election.ElectionEvent.StableCheckpointNoted;
import org.bftlab.core.election.ElectionEvent.TimerExpired;
import org.bftlab.core.election.ElectionEvent.ViewChangeJoined;
import org.bftlab.core.election.ElectionEvent.ViewChangeStarted;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ViewChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The view change end to end: election, agreement and block commit per node (OSDI'99 §4.4). */
class ViewChangeClusterTest {
  /** K = 4, L = 8, retransmit 5 ticks; T = 20 ticks. */
  private static final long T = 20;

  private static NodeCluster cluster(int n) {
    return new NodeCluster(NodeCluster.params(n, 4, 8, 5), T);
  }

  /** Orders {@code count} requests in the current view (timestamps from {@code from}). */
  private static void commitSome(NodeCluster c, int primary, long from, int count) {
    for (long t = from; t < from + count; t++) {
      Request r = request(0, t);
      c.submit(primary, r);
      c.tickUntil(() -> c.executedEverywhere(r), 50);
    }
  }

  private static void assertSameChainAtLiveNodes(NodeCluster c) {
    int ref = -1;
    for (int i = 0; i < c.n; i++) {
      if (c.isDown(i)) {
        continue;
      }
      c.deliveredDigests(i); // fails on two digests for one seqNo
      if (ref < 0) {
        ref = i;
      } else {
        long h = Math.min(c.ls(ref).height(), c.ls(i).height());
        assertThat(c.ls(i).block(h).map(b -> b.hash()))
            .isEqualTo(c.ls(ref).block(h).map(b -> b.hash()));
      }
    }
  }

  @Test
  @DisplayName("§4.4: backups whose timer expires while a request is pending move to v+1; the "
      + "primary of v+1 collects 2f+1 VIEW-CHANGEs and multicasts NEW-VIEW; a crashed primary is "
      + "replaced and new requests commit")
  void crashedPrimaryIsReplaced() {
    NodeCluster c = cluster(4);
    commitSome(c, 0, 1, 5); // checkpoint at 4 becomes stable (K = 4)
    assertThat(c.es(1).stableSeqNo()).isEqualTo(4);
    c.crash(0);
    Request r = request(1, 100);
    c.broadcast(r); // the client's retransmission to all replicas
    long took = c.tickUntil(() -> c.executedEverywhere(r), 500);
    System.out.println("crashed primary: view 1 installed and the request executed after " + took
        + " ticks (T = " + T + ")");
    for (int i = 1; i < 4; i++) {
      assertThat(c.es(i).view()).isEqualTo(1);
      assertThat(c.es(i).viewChangeInProgress()).isFalse();
      assertThat(c.as(i).view()).isEqualTo(1);
      assertThat(c.events(i, NewViewInstalled.class)).singleElement()
          .satisfies(e -> assertThat(e.toString()).startsWith("view 1 installed, primary node-1"));
      assertThat(c.viewChangesSentBy(i)).isNotEmpty().allSatisfy(vc -> {
        assertThat(vc.newView()).isEqualTo(1);
        assertThat(vc.stableSeqNo()).isEqualTo(4);
        assertThat(vc.checkpointProof()).hasSizeGreaterThanOrEqualTo(3);
      });
    }
    assertThat(c.sentOf(NewView.class)).singleElement()
        .satisfies(nv -> assertThat(nv.sender()).isEqualTo(new NodeId(1)));
    assertThat(took).isLessThan(4 * T);
    assertSameChainAtLiveNodes(c);
    // and the new view keeps working
    Request next = request(1, 101);
    c.submit(1, next);
    c.tickUntil(() -> c.executedEverywhere(next), 50);
    assertSameChainAtLiveNodes(c);
  }

  @Test
  @DisplayName("§4.4: a silent primary (receives, sends nothing) is voted out the same way; it "
      + "installs the new view itself from the NEW-VIEW it receives")
  void silentPrimaryIsReplaced() {
    NodeCluster c = cluster(4);
    c.drop = e -> e.from().index() == 0;
    Request r = request(1, 1);
    c.broadcast(r);
    long took = c.tickUntil(() -> c.executedEverywhere(r), 500);
    System.out.println("silent primary: request executed after " + took + " ticks");
    for (int i = 0; i < 4; i++) {
      assertThat(c.es(i).view()).isEqualTo(1);
      assertThat(c.as(i).view()).isEqualTo(1);
    }
    assertThat(c.events(0, ViewChangeJoined.class)).isNotEmpty(); // f+1 rule at the old primary
    assertSameChainAtLiveNodes(c);
  }

  @Test
  @DisplayName("§4.4 with n = 7: the primaries of v and v+1 are down; the timer for the NEW-VIEW "
      + "of v+1 expires and the replicas move on to v+2, whose primary installs it")
  void twoViewChangesInARow() {
    NodeCluster c = cluster(7);
    commitSome(c, 0, 1, 2);
    c.crash(0);
    c.crash(1);
    Request r = request(1, 100);
    c.broadcast(r);
    long took = c.tickUntil(() -> c.executedEverywhere(r), 1000);
    System.out.println("n = 7, primaries of views 0 and 1 down: executed after " + took
        + " ticks");
    for (int i = 2; i < 7; i++) {
      assertThat(c.es(i).view()).isEqualTo(2);
      assertThat(c.events(i, NewViewInstalled.class)).singleElement()
          .satisfies(e -> assertThat(e.primary()).isEqualTo(new NodeId(2)));
    }
    assertThat(c.events(3, TimerExpired.class)).extracting(TimerExpired::nextView,
            TimerExpired::timeoutTicks)
        .containsExactly(Tuple.tuple(1L, T),
            Tuple.tuple(2L, T));
    assertThat(c.events(3, ViewChangeStarted.class)).extracting(ViewChangeStarted::view)
        .containsExactly(1L, 2L);
    assertSameChainAtLiveNodes(c);
  }

  @Test
  @DisplayName("§4.4 safety: a batch prepared in view v but committed nowhere is re-proposed in "
      + "v+1 with the same digest at the same seqNo, and commits there")
  void preparedBatchSurvivesTheViewChange() {
    NodeCluster c = cluster(4);
    c.drop = e -> e.message() instanceof Commit
        || (e.to().index() == 3 && e.message() instanceof Prepare);
    Request r = request(2, 7);
    c.submit(0, r);
    c.tick(2);
    var pp = c.as(1).slot(1).orElseThrow().entry(0).orElseThrow().prePrepare().orElseThrow();
    for (int i = 0; i < 3; i++) {
      assertThat(c.as(i).slot(1).orElseThrow().entry(0).orElseThrow().isPrepared()).isTrue();
    }
    assertThat(c.as(3).slot(1).orElseThrow().entry(0).orElseThrow().isPrepared()).isFalse();
    for (int i = 0; i < 4; i++) {
      assertThat(c.delivered.get(i)).isEmpty();
    }
    c.crash(0);
    // view 0 never completes (its COMMITs stay lost); the client retransmits to all replicas,
    // the backups wait for the request and time out
    c.drop = e -> e.message() instanceof Commit cm && cm.view() == 0;
    c.broadcast(r);
    c.tickUntil(() -> c.executedEverywhere(r), 500);
    NewView nv = c.sentOf(NewView.class).get(0);
    assertThat(nv.prePrepares()).singleElement().satisfies(o -> {
      assertThat(o.view()).isEqualTo(1);
      assertThat(o.seqNo()).isEqualTo(1);
      assertThat(o.digest()).isEqualTo(pp.digest());
    });
    for (int i = 1; i < 4; i++) {
      assertThat(c.delivered.get(i)).first().satisfies(bc -> {
        assertThat(bc.seqNo()).isEqualTo(1);
        assertThat(bc.view()).isEqualTo(1);
        assertThat(bc.digest()).isEqualTo(pp.digest());
      });
      assertThat(c.ls(i).tx(r.txId()).orElseThrow().blockHeight()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("Crash safety: a replica restarted (journal replay only) in the middle of a view "
      + "change re-sends its logged VIEW-CHANGE and never signs a different one for that view")
  void restartDuringViewChangeNeverSignsADifferentViewChange() {
    NodeCluster c = cluster(4);
    commitSome(c, 0, 1, 2);
    c.crash(0);
    c.drop = e -> e.message() instanceof NewView && e.to().index() == 2;
    Request r = request(1, 100);
    c.broadcast(r);
    c.tickUntil(() -> c.es(1).view() == 1 && c.es(2).viewChangeInProgress(), 500);
    c.crash(2);
    c.restart(2);
    assertThat(c.es(2).viewChangeInProgress()).isTrue();
    assertThat(c.es(2).pendingView()).isEqualTo(1);
    c.tick(12);
    c.drop = e -> false;
    c.tickUntil(() -> c.executedEverywhere(r), 500);
    List<ViewChange> mine = c.viewChangesSentBy(2);
    assertThat(mine).isNotEmpty().allSatisfy(vc -> {
      assertThat(vc.newView()).isEqualTo(1);
      assertThat(vc.signature()).isEqualTo(mine.get(0).signature());
      assertThat(vc.signedBytes(FakeAuth.CLUSTER)).isEqualTo(mine.get(0).signedBytes(FakeAuth.CLUSTER));
    });
    assertThat(c.election.get(2).journal.stream()
        .filter(ViewChangeStarted.class::isInstance)).hasSize(1);
    assertThat(c.es(2).view()).isEqualTo(1);
    assertSameChainAtLiveNodes(c);
  }

  @Test
  @DisplayName("Crash safety: a replica killed after its block commit journaled a stable checkpoint"
      + " and before election and agreement journaled it restarts at that checkpoint (block"
      + " commit's recover() signals it again), and its VIEW-CHANGE carries it")
  void crashBetweenCheckpointStableAndItsSiblingsRecoversTheCheckpoint() {
    NodeCluster c = cluster(4);
    commitSome(c, 0, 1, 3); // seqNos 1..3; K = 4, so no checkpoint yet
    c.submit(0, request(0, 4));
    // one delivery at a time, until node 1's block commit has made checkpoint 4 stable and its
    // signal to the siblings is still in the queue
    for (int steps = 0; c.ls(1).lastStableCheckpoint() < 4; steps++) {
      assertThat(steps).as("checkpoint 4 stable at node 1").isLessThan(10_000);
      if (!c.step()) {
        for (int i = 0; i < c.n; i++) {
          for (Kind k : Kind.values()) {
            c.input(i, k, Input.TICK);
          }
        }
      }
    }
    assertThat(c.es(1).stableSeqNo()).isZero();
    c.crash(1); // the queued signals are lost with the process
    assertThat(c.ledger.get(1).journal).contains(
        new BlockCommitEvent.CheckpointStable(4, c.ls(1).lastStableDigest()));
    assertThat(c.election.get(1).journal).noneMatch(StableCheckpointNoted.class::isInstance);

    c.restart(1);
    c.run();
    // OSDI'99 §4.4: "the VIEW-CHANGE carries n, the sequence number of the last stable
    // checkpoint s known to i" — and §4.3: the low watermark h is that checkpoint's seqNo
    assertThat(c.es(1).stableSeqNo()).isEqualTo(4);
    assertThat(c.es(1).stableProof()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(c.as(1).lowWatermark()).isEqualTo(4);
    assertThat(c.events(1, Rejected.class))
        .noneMatch(e -> e.messageType().equals("CheckpointStable"));
    // a clean restart: the signal comes again and is ignored, without a Rejected
    int before = c.election.get(1).journal.size();
    c.crash(1);
    c.restart(1);
    c.run();
    assertThat(c.election.get(1).journal).hasSize(before);
    assertThat(c.events(1, Rejected.class))
        .noneMatch(e -> e.messageType().equals("CheckpointStable"));

    c.crash(0);
    Request r = request(1, 100);
    c.broadcast(r);
    c.tickUntil(() -> c.executedEverywhere(r), 500);
    assertThat(c.viewChangesSentBy(1)).isNotEmpty().allSatisfy(vc -> {
      assertThat(vc.stableSeqNo()).isEqualTo(4);
      assertThat(vc.checkpointProof()).hasSizeGreaterThanOrEqualTo(3);
    });
    assertSameChainAtLiveNodes(c);
  }
}
