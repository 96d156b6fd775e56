package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.BlockView;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.LoadReport;
import org.bftlab.config.ConfigLoader;
import org.bftlab.crypto.Genesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes commit a workload, stop cleanly, and start again from the same LevelDB
 * directories: every node recovers the same head (no block lost), the chain continues from it,
 * and new transactions from new client instances commit on every node.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RestartTest {
  /** Snapshots (and journal deletion below them) every 50 events, so recovery reads snapshots. */
  private static final Config SMALL_SNAPSHOTS =
      ConfigFactory.parseString("bftlab.journal.snapshot-every = 50");

  private static final int NODES = 4;

  @Test
  void headsSurviveACleanRestartAndTheChainContinues(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("bftlab.test.seed", System.nanoTime());
    log("RestartTest seed = %d (rerun with -Dbftlab.test.seed=%d)", seed, seed);
    Genesis genesis;
    List<NodeStatus> before;
    long lastTimestamp;
    LocalCluster cluster = ClusterSupport.startNew(dir, NODES, 2, "bftlab-restart", SMALL_SNAPSHOTS);
    try {
      genesis = cluster.genesis();
      List<BftlabClient> clients = ClusterSupport.clients(cluster);
      try {
        LoadReport report = ClusterSupport.runWorkload(clients, seed, 60, 8);
        assertThat(report.timedOut()).as("timed out").isZero();
        assertThat(report.committed() + report.rejectedAtGateway()
            .getOrDefault("DUPLICATE_TXID", 0L)).as("every transaction has an outcome")
            .isEqualTo(60);
        assertThat(report.byKind().get("TRANSFER")).containsOnlyKeys("VALID");
        assertThat(report.byKind().get("OVERDRAFT")).containsOnlyKeys("CONTRACT_REJECTED");
        before = ClusterSupport.awaitSameHeads(clients.get(0), NODES, 1);
        lastTimestamp = clients.stream().mapToLong(BftlabClient::peekNextTimestamp).max()
            .orElseThrow() - 1;
      } finally {
        clients.forEach(BftlabClient::close);
      }
    } finally {
      long t0 = System.nanoTime();
      cluster.stopAll();
      log("stopped all nodes cleanly in %d ms", (System.nanoTime() - t0) / 1_000_000);
    }
    try (var files = Files.list(dir.resolve("data").resolve("node-0").resolve("snapshots"))) {
      assertThat(files.count()).as("snapshots taken (journal compacted below them)").isPositive();
    }
    long height = before.get(0).height();
    log("before the restart: %s", ClusterSupport.describe(before));

    LocalCluster restarted = ClusterSupport.startAndConnect(
        LocalCluster.open(dir, genesis, SMALL_SNAPSHOTS.withFallback(ConfigLoader.defaults())));
    try {
      List<BftlabClient> clients = ClusterSupport.clients(restarted);
      try {
        List<NodeStatus> recovered = ClusterSupport.statuses(clients.get(0));
        log("right after the restart: %s", ClusterSupport.describe(recovered));
        recovered = ClusterSupport.awaitSameHeads(clients.get(0), NODES, 1);
        log("after recovery: %s", ClusterSupport.describe(recovered));
        for (int i = 0; i < NODES; i++) {
          assertThat(recovered.get(i).height()).as("%s height after restart (no block lost)",
              recovered.get(i).nodeId()).isEqualTo(height);
          assertThat(recovered.get(i).headHash()).as("%s head after restart",
              recovered.get(i).nodeId()).isEqualTo(before.get(0).headHash());
        }
        ClusterSupport.verifyChain(restarted.httpUrls(), height, before.get(0).headHash());

        for (BftlabClient c : clients) {
          assertThat(c.peekNextTimestamp()).as("%s: new instance's first timestamp above the "
              + "old instances' last", c.clientId()).isGreaterThan(lastTimestamp);
        }
        LoadReport again = ClusterSupport.runWorkload(clients, seed + 1, 40, 8);
        assertThat(again.timedOut()).as("timed out after the restart").isZero();
        assertThat(again.committed() + again.rejectedAtGateway()
            .getOrDefault("DUPLICATE_TXID", 0L)).as("every transaction has an outcome")
            .isEqualTo(40);
        assertThat(again.rejectedAtGateway().keySet()).isSubsetOf("DUPLICATE_TXID");
        assertThat(again.byKind().get("MINT")).containsOnlyKeys("VALID");
        assertThat(again.byKind().get("TRANSFER")).containsOnlyKeys("VALID");
        assertThat(again.byKind().get("OVERDRAFT")).containsOnlyKeys("CONTRACT_REJECTED");

        List<NodeStatus> after = ClusterSupport.awaitSameHeads(clients.get(0), NODES,
            height + 1);
        log("after the second workload: %s", ClusterSupport.describe(after));
        assertThat(after.get(0).height()).isGreaterThan(height);
        List<BlockView> chain = ClusterSupport.verifyChain(restarted.httpUrls(),
            after.get(0).height(), after.get(0).headHash());
        assertThat(chain.get((int) height).previousHash())
            .as("first block after the restart chains to the recovered head")
            .isEqualTo(before.get(0).headHash());
        log("blocks 1..%d identical on all %d nodes and chained across the restart",
            after.get(0).height(), NODES);
      } finally {
        clients.forEach(BftlabClient::close);
      }
    } finally {
      restarted.close();
    }
  }
}
