package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;
import static org.bftlab.node.ViewChangeSupport.phase;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.LoadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, long run and disk use (n = 4, K = 8, L = 16, snapshot-every = 100): after each
 * round of transactions, the bytes below every node's {@code data/<node>} directory (LevelDB
 * journal + snapshots) are measured and compared with the chain itself (height × the average
 * {@code GET /blocks/{h}} JSON length, sampled). The journal must stay bounded (it is deleted
 * below each snapshot) and the whole directory must not grow faster than a small multiple of the
 * chain. The default run does 2 × 1,000 transactions; {@code -Dbftlab.longrun=true} enables
 * the 10,000-transaction run.
 */
class DiskUseTest {
  private static final Config SMALL = ConfigFactory.parseString("""
      bftlab.protocol.checkpoint-interval = 8
      bftlab.protocol.watermark-window = 16
      bftlab.journal.snapshot-every = 100
      """);
  /** Journal bound per node (bytes), whatever the number of blocks. */
  static final long JOURNAL_BOUND = 16L * 1024 * 1024;
  /** Whole data directory per node: at most this multiple of the chain's JSON size, plus the journal bound. */
  static final double CHAIN_FACTOR = 4.0;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void diskUseFollowsTheChainNotTheHistory(@TempDir Path dir) throws Exception {
    run(dir, new int[] {1_000, 1_000});
  }

  @Test
  @EnabledIfSystemProperty(named = "bftlab.longrun", matches = "true")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void longRunOf10000Transactions(@TempDir Path dir) throws Exception {
    run(dir, new int[] {1_000, 4_000, 5_000});
  }

  private static void run(Path dir, int[] rounds) throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 4, 2, "bftlab-disk", SMALL);
    List<BftlabClient> clients = ClusterSupport.clients(cluster);
    try {
      long seed = Long.getLong("bftlab.test.seed", System.nanoTime());
      int total = 0;
      long previousJournal = -1;
      for (int i = 0; i < rounds.length; i++) {
        phase("round %d: %d transactions (total %d), seed %d", i + 1, rounds[i],
            total + rounds[i], seed + i);
        long t0 = System.nanoTime();
        LoadReport report = ClusterSupport.runWorkload(clients, seed + i, rounds[i], 32);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        total += rounds[i];
        assertThat(report.timedOut()).as("timed out in round %d", i + 1).isZero();
        List<NodeStatus> heads = ClusterSupport.awaitSameHeads(clients.get(0), 4, 1);
        long height = heads.get(0).height();
        long chainBytes = chainBytes(cluster.httpUrls().get(0), height);
        log("round %d: %d tx in %d ms (%.0f tx/s); height %d, chain ≈ %d bytes (%.0f per block)",
            i + 1, rounds[i], ms, rounds[i] * 1000.0 / ms, height, chainBytes,
            (double) chainBytes / height);
        long maxJournal = 0;
        for (int n = 0; n < 4; n++) {
          Path data = dir.resolve("data").resolve("node-" + n);
          long journal = ClusterSupport.dirSize(data.resolve("journal"));
          long snapshots = ClusterSupport.dirSize(data.resolve("snapshots"));
          long all = ClusterSupport.dirSize(data);
          maxJournal = Math.max(maxJournal, journal);
          log("  after %d tx, node-%d: data %d bytes = journal %d + snapshots %d (+ %d other); "
              + "data/chain = %.2f", total, n, all, journal, snapshots, all - journal - snapshots,
              (double) all / chainBytes);
          assertThat(journal).as("node-%d journal bytes after %d tx", n, total)
              .isLessThanOrEqualTo(JOURNAL_BOUND);
          assertThat(all).as("node-%d data bytes after %d tx (chain %d bytes)", n, total,
              chainBytes).isLessThanOrEqualTo((long) (CHAIN_FACTOR * chainBytes) + JOURNAL_BOUND);
        }
        log("  largest journal: %d bytes (previous round %d)", maxJournal, previousJournal);
        try (var files = Files.walk(dir.resolve("data/node-0/snapshots"))) {
          files.filter(Files::isRegularFile).sorted().forEach(f -> {
            try {
              log("    %s %d bytes", f.getFileName(), Files.size(f));
            } catch (IOException e) {
              // deleted meanwhile
            }
          });
        }
        previousJournal = maxJournal;
      }
    } finally {
      clients.forEach(BftlabClient::close);
      cluster.close();
    }
  }

  /** height × the average JSON length of up to 40 blocks sampled evenly over 1..height. */
  private static long chainBytes(URI node, long height) throws IOException {
    List<Long> heights = new ArrayList<>();
    int samples = (int) Math.min(40, height);
    for (int i = 0; i < samples; i++) {
      heights.add(1 + (height - 1) * i / Math.max(1, samples - 1));
    }
    long sum = 0;
    for (long h : heights) {
      HttpResponse<String> r = ClusterSupport.get(node, "/blocks/" + h);
      assertThat(r.statusCode()).as("GET /blocks/%d", h).isEqualTo(200);
      sum += r.body().getBytes(StandardCharsets.UTF_8).length;
    }
    return sum * height / heights.size();
  }
}
