package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;
import static org.bftlab.node.ViewChangeSupport.TICK_MS;
import static org.bftlab.node.ViewChangeSupport.phase;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, crashed primary (n = 4, f = 1): the cluster commits; node-0, the primary of view 0,
 * is stopped; the client keeps submitting (backups forward the requests to the dead primary and
 * start their view-change timers; the client re-sends to all after half its timeout); nodes 1-3
 * install view 1 (primary node-1) and commit again within 3 view-change timeouts T = 4 ×
 * retransmitTicks, with identical heads. Then node-0 starts again on its journal and must catch
 * up to the same head and keep up.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CrashedPrimaryTest {
  private static final int NODES = 4;
  /** bftlab.protocol.retransmit-ticks (default). */
  private static final long RETRANSMIT_TICKS =
      ConfigLoader.defaults().resolve().getLong("bftlab.protocol.retransmit-ticks");
  private static final long T = 4 * RETRANSMIT_TICKS;
  /** Client commit timeout: it re-sends to every node after half of it. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  @Test
  void backupsInstallView1AfterThePrimaryCrashesAndTheOldPrimaryCatchesUp(@TempDir Path dir)
      throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, NODES, 1, "bftlab-crash");
    BftlabClient client = ClusterSupport.client(cluster,
        cluster.genesis().clients().get(0).id(), CLIENT_TIMEOUT);
    try {
      List<URI> all = cluster.httpUrls();
      List<URI> backups = ClusterSupport.urls(cluster, 1, 2, 3);
      NodeId node0 = cluster.genesis().nodeIds().get(0);
      NodeId node1 = cluster.genesis().nodeIds().get(1);

      phase("phase 1: view 0, 8 mints");
      ViewChangeSupport.commitSequentially(client, 8, CLIENT_TIMEOUT);
      List<NodeStatus> before = ClusterSupport.awaitSameHeads(all, 1, ClusterSupport.HEADS_TIMEOUT);
      log("before the crash: %s", ViewChangeSupport.describeViews(before));
      assertThat(before).allMatch(s -> s.view() == 0);
      long h0 = before.get(0).height();

      phase("phase 2: stop node-0 (primary of view 0), submit 5 mints; T = %d ticks", T);
      long crashStart = System.nanoTime();
      cluster.stop(node0);
      long crashed = System.nanoTime();
      BftlabNode.Running n1 = cluster.node(node1).orElseThrow();
      long ticks0 = ClusterSupport.electionTicks(n1);
      log("node-0 stopped in %d ms; node-1 election clock at tick %d",
          (crashed - crashStart) / 1_000_000, ticks0);
      List<CompletableFuture<CommittedTx>> pending =
          ViewChangeSupport.submitConcurrently(client, 5, CLIENT_TIMEOUT);
      List<NodeStatus> installed = ViewChangeSupport.awaitView(backups, 1, Duration.ofSeconds(90));
      long installedNanos = System.nanoTime();
      long installedTicks = ClusterSupport.electionTicks(n1) - ticks0;
      long installedMs = (installedNanos - crashed) / 1_000_000;
      log("view 1 installed on nodes 1-3 %d ticks (%d ms wall, %d ms incl. the stop) after the "
          + "crash: %s", installedTicks, installedMs, (installedNanos - crashStart) / 1_000_000,
          ViewChangeSupport.describeViews(installed));
      assertThat(installed).allMatch(s -> s.primary().equals(node1));
      List<CommittedTx> committed = ViewChangeSupport.join(pending, CLIENT_TIMEOUT);
      long committedTicks = ClusterSupport.electionTicks(n1) - ticks0;
      long committedMs = (System.nanoTime() - crashed) / 1_000_000;
      log("5 mints committed in view 1 at heights %s, %d ticks (%d ms) after the crash; "
          + "retransmitted by the client: %s", committed.stream().map(CommittedTx::blockHeight)
          .toList(), committedTicks, committedMs,
          committed.stream().map(CommittedTx::retransmitted).toList());
      assertThat(installedTicks).as("ticks from the crash to view 1 installed (3T = %d)", 3 * T)
          .isLessThanOrEqualTo(3 * T);
      assertThat(committedTicks).as("ticks from the crash to the commits in view 1 (3T = %d)",
          3 * T).isLessThanOrEqualTo(3 * T);
      List<NodeStatus> afterVc = ClusterSupport.awaitSameHeads(backups, h0 + 1,
          ClusterSupport.HEADS_TIMEOUT);
      log("nodes 1-3 after the view change: %s", ViewChangeSupport.describeViews(afterVc));
      assertThat(afterVc).allMatch(s -> s.view() == 1);

      phase("phase 3: restart node-0 on its journal; 5 more mints");
      long restartAt = System.nanoTime();
      cluster.start(node0);
      cluster.awaitConnected(ClusterSupport.CONNECT_TIMEOUT);
      log("node-0 restarted and connected in %d ms: %s", (System.nanoTime() - restartAt) / 1_000_000,
          ViewChangeSupport.describeViews(ClusterSupport.statusesOf(all)));
      List<CommittedTx> more = ViewChangeSupport.commitSequentially(client, 5, CLIENT_TIMEOUT);
      long target = more.get(more.size() - 1).blockHeight();
      List<NodeStatus> caughtUp;
      try {
        caughtUp = ClusterSupport.awaitSameHeads(all, target, Duration.ofSeconds(90));
      } finally {
        log("after the restart: %s", ViewChangeSupport.describeViews(ClusterSupport.statusesOf(all)));
      }
      log("node-0 caught up %d ms after its restart: %s", (System.nanoTime() - restartAt) / 1_000_000,
          ViewChangeSupport.describeViews(caughtUp));
      ClusterSupport.verifyChain(all, caughtUp.get(0).height(), caughtUp.get(0).headHash());

      phase("phase 4: node-0 keeps up (3 more mints, all four heads equal)");
      List<CommittedTx> last = ViewChangeSupport.commitSequentially(client, 3, CLIENT_TIMEOUT);
      List<NodeStatus> end = ClusterSupport.awaitSameHeads(all,
          last.get(last.size() - 1).blockHeight(), Duration.ofSeconds(60));
      log("end: %s", ViewChangeSupport.describeViews(end));
      assertThat(end).as("node-0 learnt view 1").allMatch(s -> s.view() == 1);
    } finally {
      client.close();
      cluster.close();
    }
  }
}
