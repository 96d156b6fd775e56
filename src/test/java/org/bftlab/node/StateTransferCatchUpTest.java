package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;
import static org.bftlab.node.ViewChangeSupport.phase;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, catch-up by state transfer (n = 4, K = 4, L = 8): node-3, a backup, is stopped while
 * the three others commit more than L blocks (so every seqNo it missed is below their low
 * watermark and can no longer be replayed by the normal case); it is restarted on its journal
 * and must reach the same head — by a state transfer verified against 2f+1 CHECKPOINTs — and
 * keep up afterwards.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class StateTransferCatchUpTest {
  private static final int K = 4;
  private static final int L = 8;
  private static final Config SMALL_K = ConfigFactory.parseString(
      "bftlab.protocol.checkpoint-interval = " + K + "\nbftlab.protocol.watermark-window = " + L);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  @Test
  void aBackupThatMissedMoreThanLBlocksCatchesUpByStateTransfer(@TempDir Path dir)
      throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 4, 1, "bftlab-catch-up", SMALL_K);
    BftlabClient client = ClusterSupport.client(cluster,
        cluster.genesis().clients().get(0).id(), CLIENT_TIMEOUT);
    try {
      List<URI> all = cluster.httpUrls();
      List<URI> up = ClusterSupport.urls(cluster, 0, 1, 2);
      NodeId node3 = cluster.genesis().nodeIds().get(3);

      phase("phase 1: 6 mints on 4 nodes (K = %d, L = %d)", K, L);
      ViewChangeSupport.commitSequentially(client, 6, CLIENT_TIMEOUT);
      List<NodeStatus> s1 = ClusterSupport.awaitSameHeads(all, 6, ClusterSupport.HEADS_TIMEOUT);
      log("%s", ViewChangeSupport.describeViews(s1));

      phase("phase 2: node-3 stopped; %d mints on nodes 0-2", 3 * L);
      cluster.stop(node3);
      List<CommittedTx> missed = ViewChangeSupport.commitSequentially(client, 3 * L, CLIENT_TIMEOUT);
      List<NodeStatus> s2 = ClusterSupport.awaitSameHeads(up,
          missed.get(missed.size() - 1).blockHeight(), ClusterSupport.HEADS_TIMEOUT);
      log("while node-3 was down: %s", ViewChangeSupport.describeViews(s2));
      long missedBlocks = s2.get(0).height() - s1.get(0).height();
      assertThat(missedBlocks).as("blocks node-3 missed").isGreaterThan(L);
      assertThat(s2.get(0).lowWatermark()).as("the others' low watermark is above node-3's head")
          .isGreaterThan(s1.get(0).height());

      phase("phase 3: node-3 restarted; 4 mints");
      long t0 = System.nanoTime();
      cluster.start(node3);
      cluster.awaitConnected(ClusterSupport.CONNECT_TIMEOUT);
      log("node-3 restarted: %s", ViewChangeSupport.describeViews(ClusterSupport.statusesOf(all)));
      List<CommittedTx> more = ViewChangeSupport.commitSequentially(client, 4, CLIENT_TIMEOUT);
      List<NodeStatus> s3;
      try {
        s3 = ClusterSupport.awaitSameHeads(all, more.get(more.size() - 1).blockHeight(),
            Duration.ofSeconds(90));
      } finally {
        log("after the restart: %s", ViewChangeSupport.describeViews(ClusterSupport.statusesOf(all)));
      }
      log("node-3 caught up %d ms after its restart (%d blocks missed)",
          (System.nanoTime() - t0) / 1_000_000, missedBlocks);
      ClusterSupport.verifyChain(all, s3.get(0).height(), s3.get(0).headHash());

      phase("phase 4: node-3 keeps up: %d more mints, all four heads equal", L);
      List<CommittedTx> last = ViewChangeSupport.commitSequentially(client, L, CLIENT_TIMEOUT);
      List<NodeStatus> s4 = ClusterSupport.awaitSameHeads(all,
          last.get(last.size() - 1).blockHeight(), Duration.ofSeconds(60));
      log("end: %s", ViewChangeSupport.describeViews(s4));
      assertThat(s4.get(3).lastStableCheckpoint()).as("node-3's stable checkpoint")
          .isEqualTo(s4.get(0).lastStableCheckpoint());
    } finally {
      client.close();
      cluster.close();
    }
  }
}
