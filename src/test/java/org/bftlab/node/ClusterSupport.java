package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.bftlab.api.BlockView;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.LoadGenerator;
import org.bftlab.client.LoadReport;
import org.bftlab.codec.Json;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.election.ElectionState;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisClient;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.workload.Workload;

/**
 * Shared plumbing of the in-JVM cluster tests: start a {@link LocalCluster}, build one {@link
 * BftlabClient} per genesis client (as {@code bftlab demo} does), poll with a deadline, read
 * blocks over HTTP and check the hash chain.
 *
 * <p>Never sleeps for synchronisation: every wait is a poll with a deadline ({@link #poll}).
 */
final class ClusterSupport {
  /** Generous: the machine is small and shared. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(90);
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(60);
  static final Duration HEADS_TIMEOUT = Duration.ofSeconds(60);
  static final ObjectMapper JSON = Json.mapper();
  static final HttpClient HTTP = BftlabClient.newHttpClient(Duration.ofSeconds(5));

  private ClusterSupport() {}

  /** Generates an n-node cluster with {@code clients} clients into {@code dir} and starts it. */
  static LocalCluster startNew(Path dir, int nodes, int clients, String clusterId)
      throws IOException, InterruptedException {
    return startNew(dir, nodes, clients, clusterId, ConfigLoader.defaults());
  }

  /** As {@link #startNew(Path, int, int, String)} with {@code config} over the defaults. */
  static LocalCluster startNew(Path dir, int nodes, int clients, String clusterId,
      Config config) throws IOException, InterruptedException {
    LocalCluster cluster = LocalCluster.generate(dir, nodes, clients, clusterId,
        config.withFallback(ConfigLoader.defaults()));
    return startAndConnect(cluster);
  }

  /** Starts every node of {@code cluster} and waits until each sees every other. */
  static LocalCluster startAndConnect(LocalCluster cluster) throws IOException,
      InterruptedException {
    long t0 = System.nanoTime();
    try {
      cluster.startAll();
      cluster.awaitConnected(CONNECT_TIMEOUT);
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    log("%d nodes up and connected in %d ms (%s)", cluster.genesis().n(),
        (System.nanoTime() - t0) / 1_000_000, cluster.httpUrls());
    return cluster;
  }

  /** One client per genesis client, in genesis order, with fresh wall-clock timestamps. */
  static List<BftlabClient> clients(LocalCluster cluster) throws IOException {
    Genesis genesis = cluster.genesis();
    List<BftlabClient> out = new ArrayList<>();
    for (GenesisClient gc : genesis.clients()) {
      out.add(client(cluster, gc.id()));
    }
    return out;
  }

  /** A client for {@code id} signing with its key from the cluster directory. */
  static BftlabClient client(LocalCluster cluster, ClientId id) throws IOException {
    Genesis genesis = cluster.genesis();
    return new BftlabClient(genesis.clusterId(), id, signer(cluster, id)::sign,
        cluster.httpUrls(), genesis.f(), COMMIT_TIMEOUT);
  }

  /** The signing key of client {@code id}. */
  static Ed25519.SigningKey signer(LocalCluster cluster, ClientId id) throws IOException {
    return Ed25519.signingKey(KeyFiles.readPrivateKey(cluster.clientKey(id.value())));
  }

  /** Runs a seeded workload of {@code transactions} steps and prints its report. */
  static LoadReport runWorkload(List<BftlabClient> clients, long seed, int transactions,
      int concurrency) throws InterruptedException {
    List<ClientId> ids = clients.stream().map(BftlabClient::clientId).toList();
    Workload workload = Workload.generate(seed, ids, transactions);
    return runWorkload(clients, workload, concurrency);
  }

  static LoadReport runWorkload(List<BftlabClient> clients, Workload workload, int concurrency)
      throws InterruptedException {
    log("workload seed %d: %d transactions (%d mints, %d overdrafts, 1 replay) from %d clients, "
        + "%d in flight", workload.seed(), workload.steps().size(), workload.setupCount(),
        workload.count(Workload.Kind.OVERDRAFT), workload.clients().size(), concurrency);
    LoadReport report = new LoadGenerator(clients, COMMIT_TIMEOUT).run(workload, concurrency, 0,
        null);
    System.out.print(report.toText().indent(4));
    return report;
  }

  // ------------------------------------------------------------------------------ polling

  /**
   * Polls {@code probe} every {@code everyMs} until it yields a value; fails with {@code what}
   * and the last observation when {@code timeout} passes.
   */
  static <T> T poll(String what, Duration timeout, long everyMs, Supplier<Optional<T>> probe,
      Supplier<String> lastSeen) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    Object lock = new Object();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what
            + "; last seen: " + lastSeen.get());
      }
      synchronized (lock) {
        lock.wait(everyMs);
      }
    }
  }

  /** Every node's status, in node order; fails if a node does not answer. */
  static List<NodeStatus> statuses(BftlabClient client) {
    try {
      return client.statuses().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("GET /status failed: " + e, e);
    }
  }

  /**
   * Waits until all {@code n} nodes answer {@code GET /status} with the same height (at least
   * {@code minHeight}) and the same head hash.
   */
  static List<NodeStatus> awaitSameHeads(BftlabClient client, int n, long minHeight)
      throws InterruptedException {
    List<List<NodeStatus>> last = new ArrayList<>(List.of(List.of()));
    return poll("identical heads at height >= " + minHeight + " on all " + n + " nodes",
        HEADS_TIMEOUT, 200, () -> {
          List<NodeStatus> s = statuses(client);
          last.set(0, s);
          boolean same = s.size() == n && s.get(0).height() >= minHeight
              && s.stream().map(NodeStatus::height).distinct().count() == 1
              && s.stream().map(NodeStatus::headHash).distinct().count() == 1;
          return same ? Optional.of(s) : Optional.empty();
        }, () -> describe(last.get(0)));
  }

  /** "node-0 h=12 head=ab12…, …". */
  static String describe(List<NodeStatus> statuses) {
    return statuses.stream().map(s -> s.nodeId() + " view=" + s.view() + " h=" + s.height()
        + " head=" + s.headHash().shortHex()).collect(Collectors.joining(", ", "[", "]"));
  }

  // ------------------------------------------------------------------------------ blocks

  /** {@code GET /blocks/{height}} on {@code node}; fails unless it answers 200. */
  static BlockView block(URI node, long height) {
    HttpResponse<String> r = get(node, "/blocks/" + height);
    assertThat(r.statusCode()).as("GET %s/blocks/%d: %s", node, height, r.body()).isEqualTo(200);
    try {
      return JSON.readValue(r.body(), BlockView.class);
    } catch (IOException e) {
      throw new AssertionError("GET " + node + "/blocks/" + height + " is not a BlockView: "
          + r.body(), e);
    }
  }

  static HttpResponse<String> get(URI node, String path) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node + path))
        .timeout(Duration.ofSeconds(15)).GET().build();
    return send(req);
  }

  static HttpResponse<String> post(URI node, String path, byte[] body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node + path))
        .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return send(req);
  }

  static HttpResponse<String> post(URI node, String path, String body) {
    return post(node, path, body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> send(HttpRequest req) {
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Reads blocks 1..{@code height} from every node and checks that every node holds the same
   * blocks and that they form a hash chain: block 1 points at {@link Digest#ZERO}, block h at
   * the hash of block h-1, and each block's hash is the hash of its header fields.
   *
   * @return the chain as node 0 reports it, index i = height i+1
   */
  static List<BlockView> verifyChain(List<URI> nodes, long height, Digest expectedHead) {
    List<BlockView> chain = new ArrayList<>();
    Digest previous = Digest.ZERO;
    for (long h = 1; h <= height; h++) {
      BlockView reference = block(nodes.get(0), h);
      assertThat(reference.height()).as("height of GET /blocks/%d", h).isEqualTo(h);
      assertThat(reference.previousHash()).as("previousHash of block %d (hash chain)", h)
          .isEqualTo(previous);
      Digest recomputed = new BlockHeader(reference.height(), reference.previousHash(),
          reference.merkleRoot(), reference.resultsDigest(), reference.txCount()).hash();
      assertThat(reference.hash()).as("hash of block %d = hash of its header", h)
          .isEqualTo(recomputed);
      assertThat(reference.transactions()).as("transactions of block %d", h)
          .hasSize(reference.txCount());
      for (int i = 1; i < nodes.size(); i++) {
        BlockView other = block(nodes.get(i), h);
        assertThat(other).as("block %d on %s vs %s", h, nodes.get(i), nodes.get(0))
            .isEqualTo(reference);
      }
      chain.add(reference);
      previous = reference.hash();
    }
    assertThat(previous).as("hash of block %d = every node's head hash", height)
        .isEqualTo(expectedHead);
    return chain;
  }

  static void log(String format, Object... args) {
    System.out.printf("[cluster-test] " + format + "%n", args);
  }

  // ------------------------------------------------------------------------------ faults (issue 3)

  /** A client for {@code id} whose commit timeout (and so retransmission at half of it) is {@code timeout}. */
  static BftlabClient client(LocalCluster cluster, ClientId id, Duration timeout)
      throws IOException {
    Genesis genesis = cluster.genesis();
    return new BftlabClient(genesis.clusterId(), id, signer(cluster, id)::sign,
        cluster.httpUrls(), genesis.f(), timeout);
  }

  /** {@code GET /status} on each of {@code nodes}; a node that does not answer 200 is left out. */
  static List<NodeStatus> statusesOf(List<URI> nodes) {
    List<NodeStatus> out = new ArrayList<>();
    for (URI node : nodes) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/status"))
            .timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() == 200) {
          out.add(JSON.readValue(r.body(), NodeStatus.class));
        }
      } catch (IOException e) {
        // down or not answering: left out
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    return out;
  }

  /**
   * Waits until every node of {@code nodes} answers with the same height (at least {@code
   * minHeight}) and head hash.
   */
  static List<NodeStatus> awaitSameHeads(List<URI> nodes, long minHeight, Duration timeout)
      throws InterruptedException {
    List<List<NodeStatus>> last = new ArrayList<>(List.of(List.of()));
    return poll("identical heads at height >= " + minHeight + " on " + nodes, timeout, 200, () -> {
      List<NodeStatus> s = statusesOf(nodes);
      last.set(0, s);
      boolean same = s.size() == nodes.size() && s.get(0).height() >= minHeight
          && s.stream().map(NodeStatus::height).distinct().count() == 1
          && s.stream().map(NodeStatus::headHash).distinct().count() == 1;
      return same ? Optional.of(s) : Optional.empty();
    }, () -> describe(last.get(0)));
  }

  /** The URLs of nodes {@code indexes} of {@code cluster}. */
  static List<URI> urls(LocalCluster cluster, int... indexes) {
    List<URI> all = cluster.httpUrls();
    List<URI> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(all.get(i));
    }
    return out;
  }

  /** The election's tick counter (its protocol clock) of a running node. */
  static long electionTicks(BftlabNode.Running node) {
    return queryElection(node, ElectionState::now);
  }

  /** Runs {@code read} on the election state of a running node (through the actor). */
  static <R> R queryElection(BftlabNode.Running node,
      Function<ElectionState, R> read) {
    try {
      return AskPattern
          .<ComponentActor.Command<ElectionState>, R>ask(
              node.components().election(),
              replyTo -> new ComponentActor.Query<>(read, replyTo), Duration.ofSeconds(10),
              node.system().scheduler())
          .toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("query of " + node.nodeId() + "'s election failed: " + e, e);
    }
  }

  /** Total bytes of the regular files below {@code dir} (0 if it does not exist). */
  static long dirSize(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0; // deleted meanwhile (compaction)
        }
      }).sum();
    }
  }

}
