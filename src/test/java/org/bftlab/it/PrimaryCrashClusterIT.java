package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bftlab.api.BlockView;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.TxStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.KeyFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, multi-process: four {@code bftlab node} JVMs from {@code cluster-configs/local-4}
 * (fresh temporary data directories); the test's own {@link BftlabClient}s (client-0 and
 * client-1, keys from the config directory) submit a stream of mints over the nodes' HTTP ports
 * and record every txId confirmed by f+1 replicas ({@code bftlab client load --json} reports
 * counts only, no txIds, so the Java client is used instead of the {@code load} process). During
 * the load the primary, node-0, is killed with SIGKILL. Every confirmed transaction must be in
 * the chain of nodes 1-3 at the same height with identical block hashes; node-0 is then
 * restarted on its LevelDB directory and must catch up to the same head, and every confirmed
 * transaction must be on all four.
 */
class PrimaryCrashClusterIT {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path JAR = ROOT.resolve("target/bftlab-0.1.0-SNAPSHOT-all.jar");
  private static final Path CONFIG = ROOT.resolve("cluster-configs/local-4");
  private static final Path LOGS = ROOT.resolve("target/it-logs");
  private static final ObjectMapper JSON = Json.mapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final int TRANSACTIONS = 200;
  private static final int IN_FLIGHT = 16;
  private static final int KILL_AFTER = 60;

  private final Process[] nodes = new Process[4];
  private Path dataRoot;

  @AfterEach
  void killAll() {
    for (Process p : nodes) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void everyConfirmedTransactionSurvivesASigkilledPrimaryAndItCatchesUp() throws Exception {
    assertThat(JAR).as("the shaded jar built by 'mvn package'").exists();
    Files.createDirectories(LOGS);
    dataRoot = Files.createTempDirectory("bftlab-it-crash-");
    for (int i = 0; i < 4; i++) {
      start(i, "first");
    }
    awaitUp(List.of(0, 1, 2, 3));
    log("4 node processes up");

    List<URI> urls = List.of(0, 1, 2, 3).stream().map(PrimaryCrashClusterIT::url).toList();
    List<BftlabClient> clients = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      ClientId id = new ClientId("client-" + c);
      Ed25519.SigningKey key = Ed25519.signingKey(
          KeyFiles.readPrivateKey(CONFIG.resolve("clients").resolve(id.value() + ".key")));
      clients.add(new BftlabClient(readClusterId(), id, key::sign, urls, 1,
          Duration.ofSeconds(30)));
    }
    Map<String, CommittedTx> confirmed = new ConcurrentHashMap<>();
    Map<String, String> failed = new ConcurrentHashMap<>();
    AtomicInteger done = new AtomicInteger();
    Semaphore window = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<?>> all = new ArrayList<>();
    long killedAt = 0;
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < TRANSACTIONS; i++) {
        if (i == KILL_AFTER) {
          poll("the first " + (KILL_AFTER - IN_FLIGHT) + " confirmations",
              () -> done.get() >= KILL_AFTER - IN_FLIGHT ? Optional.of(true) : Optional.empty());
          log("SIGKILL node-0 (primary of view 0) after %d confirmations, %d ms into the load",
              done.get(), (System.nanoTime() - t0) / 1_000_000);
          nodes[0].destroyForcibly();
          nodes[0].waitFor(30, TimeUnit.SECONDS);
          nodes[0] = null;
          killedAt = System.nanoTime();
        }
        window.acquire();
        BftlabClient c = clients.get(i % 2);
        Request r = c.newRequest("token", "mint", c.clientId().value(), "1");
        all.add(c.submitAndAwait(r, Duration.ofSeconds(30)).whenComplete((tx, err) -> {
          if (err == null) {
            confirmed.put(tx.txId(), tx);
          } else {
            failed.put(r.txId(), String.valueOf(err));
          }
          done.incrementAndGet();
          window.release();
        }));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .handle((v, e) -> null).get(5, TimeUnit.MINUTES);
    } finally {
      clients.forEach(BftlabClient::close);
    }
    log("load done in %d ms: %d confirmed, %d failed (%d ms after the kill)",
        (System.nanoTime() - t0) / 1_000_000, confirmed.size(), failed.size(),
        (System.nanoTime() - killedAt) / 1_000_000);
    failed.values().stream().limit(5).forEach(f -> log("  failed: %s", f));
    assertThat(confirmed.size()).as("confirmed by f+1 despite the crash").isGreaterThanOrEqualTo(
        TRANSACTIONS * 95 / 100);

    List<NodeStatus> three = awaitIdenticalHeads(List.of(1, 2, 3), 1);
    log("nodes 1-3: %s", describe(three));
    assertThat(three).as("view after the crash").allMatch(s -> s.view() >= 1);
    checkTransactions(confirmed, List.of(1, 2, 3));
    checkBlocks(List.of(1, 2, 3), three.get(0).height());

    start(0, "restart");
    awaitUp(List.of(0));
    long restarted = System.nanoTime();
    log("node-0 restarted: %s", describe(statuses(List.of(0, 1, 2, 3))));
    List<NodeStatus> four;
    try {
      four = awaitIdenticalHeads(List.of(0, 1, 2, 3), three.get(0).height());
    } finally {
      log("after the restart: %s", describe(statuses(List.of(0, 1, 2, 3))));
    }
    log("node-0 caught up %d ms after its restart", (System.nanoTime() - restarted) / 1_000_000);
    checkTransactions(confirmed, List.of(0, 1, 2, 3));
    checkBlocks(List.of(0, 1, 2, 3), four.get(0).height());
  }

  /** Every confirmed txId is on every node of {@code which} at its confirmed height. */
  private void checkTransactions(Map<String, CommittedTx> confirmed, List<Integer> which)
      throws Exception {
    for (CommittedTx tx : confirmed.values()) {
      for (int i : which) {
        HttpResponse<String> r = get(url(i), "/transactions/" + tx.txId());
        assertThat(r.statusCode()).as("GET /transactions/%s on node-%d: %s", tx.txId(), i,
            r.body()).isEqualTo(200);
        TxStatus s = JSON.readValue(r.body(), TxStatus.class);
        assertThat(s.blockHeight()).as("height of %s on node-%d", tx.txId(), i)
            .isEqualTo(tx.blockHeight());
        assertThat(s.validationCode()).isEqualTo(tx.validationCode());
      }
    }
    log("all %d confirmed transactions found on nodes %s at their confirmed heights",
        confirmed.size(), which);
  }

  /** Blocks 1..height have identical hashes on every node of {@code which}, and chain. */
  private void checkBlocks(List<Integer> which, long height) throws Exception {
    String previous = null;
    for (long h = 1; h <= height; h++) {
      BlockView ref = null;
      for (int i : which) {
        HttpResponse<String> r = get(url(i), "/blocks/" + h);
        assertThat(r.statusCode()).as("GET /blocks/%d on node-%d", h, i).isEqualTo(200);
        BlockView b = JSON.readValue(r.body(), BlockView.class);
        if (ref == null) {
          ref = b;
        } else {
          assertThat(b.hash()).as("hash of block %d on node-%d", h, i).isEqualTo(ref.hash());
        }
      }
      if (previous != null) {
        assertThat(ref.previousHash().toString()).as("block %d chains", h).isEqualTo(previous);
      }
      previous = ref.hash().toString();
    }
    log("blocks 1..%d identical on nodes %s", height, which);
  }

  private void start(int i, String phase) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx384m", "-XX:+UseSerialGC", "-jar",
        JAR.toString(), "node", "--config", "cluster-configs/local-4/node-" + i + ".conf",
        "--data-dir", dataRoot.resolve("node-" + i).toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(
            LOGS.resolve("crash-node-" + i + ".log").toFile()));
    nodes[i] = pb.start();
    log("started node-%d (%s), pid %d", i, phase, nodes[i].pid());
  }

  private static String readClusterId() throws IOException {
    return JSON.readTree(Files.readString(CONFIG.resolve("genesis.json"))).get("clusterId")
        .asText();
  }

  private static URI url(int i) {
    return URI.create("http://127.0.0.1:808" + i);
  }

  private void awaitUp(List<Integer> which) throws InterruptedException {
    poll("GET /status answers on " + which, () -> statuses(which).size() == which.size()
        ? Optional.of(true) : Optional.empty());
  }

  private List<NodeStatus> awaitIdenticalHeads(List<Integer> which, long minHeight)
      throws InterruptedException {
    return poll("identical heads at height >= " + minHeight + " on nodes " + which, () -> {
      List<NodeStatus> s = statuses(which);
      if (s.size() == which.size() && s.stream().allMatch(x -> x.height() >= minHeight)
          && s.stream().map(NodeStatus::headHash).distinct().count() == 1
          && s.stream().map(NodeStatus::height).distinct().count() == 1) {
        return Optional.of(s);
      }
      return Optional.empty();
    });
  }

  private static List<NodeStatus> statuses(List<Integer> which) {
    List<NodeStatus> out = new ArrayList<>();
    for (int i : which) {
      try {
        HttpResponse<String> r = get(url(i), "/status");
        if (r.statusCode() == 200) {
          out.add(JSON.readValue(r.body(), NodeStatus.class));
        }
      } catch (IOException e) {
        // down
      }
    }
    return out;
  }

  private static HttpResponse<String> get(URI node, String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(node + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String describe(List<NodeStatus> s) {
    StringBuilder b = new StringBuilder();
    for (NodeStatus x : s) {
      b.append(x.nodeId()).append(" view=").append(x.view()).append(x.viewChangeInProgress()
          ? "(->" + x.pendingView() + ")" : "").append(" h=").append(x.height())
          .append(" head=").append(x.headHash().shortHex()).append("; ");
    }
    return b.toString();
  }

  private static <T> T poll(String what, Supplier<Optional<T>> probe) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    Object lock = new Object();
    while (System.nanoTime() < end) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      synchronized (lock) {
        lock.wait(250);  // a polling interval, not synchronisation: the deadline decides
      }
    }
    throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for: " + what);
  }

  private static void log(String format, Object... args) {
    System.out.printf("[it-crash] " + format + "%n", args);
  }
}
