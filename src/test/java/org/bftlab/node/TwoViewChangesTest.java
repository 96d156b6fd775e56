package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;
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
 * Issue 3, two view changes in a row (n = 7, f = 2): node-0 (primary of view 0) and node-1
 * (primary of view 1) are both stopped; the five others change to view 1, wait in vain for
 * node-1's NEW-VIEW, move on to view 2 (primary node-2), install it and commit with identical
 * heads. Bound: T to notice the request, T·2^(k-1) (k = 1, 2) waiting for each NEW-VIEW, plus
 * one T of slack: 5T ticks.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TwoViewChangesTest {
  private static final long T = 4
      * ConfigLoader.defaults().resolve().getLong("bftlab.protocol.retransmit-ticks");
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void theFiveOthersInstallView2WhenPrimariesOfViews0And1AreDown(@TempDir Path dir)
      throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 7, 1, "bftlab-two-vc");
    BftlabClient client = ClusterSupport.client(cluster,
        cluster.genesis().clients().get(0).id(), CLIENT_TIMEOUT);
    try {
      List<URI> all = cluster.httpUrls();
      List<URI> rest = ClusterSupport.urls(cluster, 2, 3, 4, 5, 6);
      List<NodeId> ids = cluster.genesis().nodeIds();

      phase("phase 1: view 0, 4 mints on 7 nodes");
      ViewChangeSupport.commitSequentially(client, 4, CLIENT_TIMEOUT);
      long h0 = ClusterSupport.awaitSameHeads(all, 4, ClusterSupport.HEADS_TIMEOUT).get(0).height();

      phase("phase 2: stop node-0 and node-1; 5 mints; T = %d ticks", T);
      long t0 = System.nanoTime();
      cluster.stop(ids.get(0));
      cluster.stop(ids.get(1));
      long stopped = System.nanoTime();
      BftlabNode.Running n2 = cluster.node(ids.get(2)).orElseThrow();
      long ticks0 = ClusterSupport.electionTicks(n2);
      log("node-0 and node-1 stopped in %d ms", (stopped - t0) / 1_000_000);
      List<CompletableFuture<CommittedTx>> pending =
          ViewChangeSupport.submitConcurrently(client, 5, CLIENT_TIMEOUT);
      List<NodeStatus> installed = ViewChangeSupport.awaitView(rest, 2, Duration.ofSeconds(120));
      long ticks = ClusterSupport.electionTicks(n2) - ticks0;
      log("view 2 installed on nodes 2-6 %d ticks (%d ms) after the stops: %s", ticks,
          (System.nanoTime() - stopped) / 1_000_000, ViewChangeSupport.describeViews(installed));
      assertThat(installed).allMatch(s -> s.primary().equals(ids.get(2)));
      List<CommittedTx> committed = ViewChangeSupport.join(pending, CLIENT_TIMEOUT);
      long commitTicks = ClusterSupport.electionTicks(n2) - ticks0;
      log("5 mints committed in view 2 at heights %s, %d ticks (%d ms) after the stops",
          committed.stream().map(CommittedTx::blockHeight).toList(), commitTicks,
          (System.nanoTime() - stopped) / 1_000_000);
      assertThat(ticks).as("ticks to view 2 (5T = %d)", 5 * T).isLessThanOrEqualTo(5 * T);
      List<NodeStatus> after = ClusterSupport.awaitSameHeads(rest, h0 + 1,
          ClusterSupport.HEADS_TIMEOUT);
      log("nodes 2-6 after two view changes: %s", ViewChangeSupport.describeViews(after));
      assertThat(after).allMatch(s -> s.view() == 2);
      ClusterSupport.verifyChain(rest, after.get(0).height(), after.get(0).headHash());
    } finally {
      client.close();
      cluster.close();
    }
  }
}
