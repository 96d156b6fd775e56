package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection of every component's journal (OSDI'99 §4.3: "the log entries with sequence
 * numbers less than or equal to n are discarded" once checkpoint n is stable) keeps enough to
 * recover: a replica rebuilt from its compacted journals rejoins, and a view change afterwards
 * still preserves everything committed.
 */
class CompactionClusterTest {
  private static final long T = 20;

  @Test
  @DisplayName("§4.3: replicas restarted from compacted journals keep the chain and survive a view change")
  void compactedJournalsRecoverAndSurviveAViewChange() {
    NodeCluster c = new NodeCluster(NodeCluster.params(4, 4, 8, 5), T);
    for (int i = 1; i <= 14; i++) {
      Request r = request(0, i);
      c.submit(0, r);
      c.tickUntil(() -> c.executedEverywhere(r), 100);
    }
    assertThat(c.ls(1).lastStableCheckpoint()).isEqualTo(12);
    for (int i = 0; i < 4; i++) {
      int dropped = c.compact(i);
      System.out.println("node-" + i + ": garbage-collected " + dropped + " journal events");
      assertThat(dropped).as("events below the stable checkpoint dropped at node-" + i).isPositive();
    }
    c.restart(2);
    c.restart(3);
    assertThat(c.ls(2).headHash()).isEqualTo(c.ls(1).headHash());
    assertThat(c.as(2).lowWatermark()).isEqualTo(12);

    c.crash(0);
    Request r = request(1, 100);
    c.broadcast(r);
    long took = c.tickUntil(() -> c.executedEverywhere(r), 500);
    System.out.println("view change after compaction took " + took + " ticks");
    for (int i = 1; i < 4; i++) {
      assertThat(c.es(i).view()).isEqualTo(1);
      assertThat(c.ls(i).headHash()).isEqualTo(c.ls(1).headHash());
    }
    assertThat(c.ls(1).height()).isEqualTo(15);
  }
}
