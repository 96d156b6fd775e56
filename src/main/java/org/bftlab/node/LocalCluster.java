package org.bftlab.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bftlab.config.ConfigLoader;
import org.bftlab.config.NodeSettings;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;

/**
 * n bftlab nodes in one JVM, each its own ActorSystem with its own LevelDB directory, joined
 * into one Pekko cluster over loopback: what {@code bftlab demo} and the in-JVM cluster tests
 * run. Keys and the genesis file are generated into {@code dir} on free loopback ports.
 */
public final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final Genesis genesis;
  private final Config base;
  private final NodeSettings template;
  private final Map<NodeId, BftlabNode.Running> running = new TreeMap<>();

  private LocalCluster(Path dir, Genesis genesis, Config base, NodeSettings template) {
    this.dir = dir;
    this.genesis = genesis;
    this.base = base;
    this.template = template;
  }

  /**
   * Generates keys and a genesis file for {@code nodes} replicas and {@code clients} clients in
   * {@code dir} (ports chosen free on 127.0.0.1), without starting anything.
   *
   * @param base configuration holding the {@code bftlab} and {@code pekko} defaults (unresolved is fine)
   * @throws IOException if {@code dir} cannot be written or already holds a genesis file
   */
  public static LocalCluster generate(Path dir, int nodes, int clients, String clusterId,
      Config base) throws IOException {
    int[] ports = freePortRange(2 * nodes);
    CryptoGen.Result r = CryptoGen.generate(CryptoGen.Options.defaults(dir).withNodes(nodes)
        .withClients(clients).withClusterId(clusterId).withHost("127.0.0.1")
        .withPorts(ports[0], ports[0] + nodes));
    return open(dir, r.genesis(), base);
  }

  /** Opens an already generated directory (for restarts on the same data). */
  public static LocalCluster open(Path dir, Genesis genesis, Config base) {
    Config layered = base.withFallback(ConfigLoader.defaults());
    // in-JVM clusters follow bftlab.local-cluster.tls (default off), not bftlab.transport.tls
    layered = ConfigFactory.parseString("bftlab.transport.tls = "
        + layered.resolve().getBoolean("bftlab.local-cluster.tls")).withFallback(layered);
    return new LocalCluster(dir, genesis, layered, NodeSettings.from(layered.resolve()));
  }

  /** The genesis file's contents. */
  public Genesis genesis() {
    return genesis;
  }

  /** The directory holding genesis.json, nodes/, clients/ and each node's data. */
  public Path dir() {
    return dir;
  }

  /** Path of client {@code j}'s private key. */
  public Path clientKey(String clientId) {
    return dir.resolve("clients").resolve(clientId + ".key");
  }

  /** Every node's HTTP base URL, in node order. */
  public List<URI> httpUrls() {
    return genesis.nodeIds().stream().map(id -> URI.create(genesis.httpUrl(id))).toList();
  }

  /** Starts every node that is not running. */
  public void startAll() throws IOException {
    for (NodeId id : genesis.nodeIds()) {
      if (!running.containsKey(id)) {
        start(id);
      }
    }
  }

  /** Starts node {@code id} on its data directory {@code dir/data/<id>}. */
  public BftlabNode.Running start(NodeId id) throws IOException {
    return start(id, ConfigFactory.empty());
  }

  /**
   * As {@link #start(NodeId)}, with {@code overrides} over the cluster's configuration for this
   * node only (tests: a faulty member, e.g. another wire serializer).
   */
  public BftlabNode.Running start(NodeId id, Config overrides) throws IOException {
    NodeSettings s = new NodeSettings(id, dir.resolve(CryptoGen.GENESIS_FILE),
        NodeSettings.defaultKeyFile(dir.resolve(CryptoGen.GENESIS_FILE), id),
        dir.resolve("data").resolve(id.toString()), "127.0.0.1", 0, template.tick(),
        template.protocol(), template.journal(), template.askTimeout());
    BftlabNode.Running r = BftlabNode.start(s, overrides.withFallback(base));
    running.put(id, r);
    return r;
  }

  /** Stops node {@code id} cleanly (journal closed); a no-op if it is not running. */
  public void stop(NodeId id) {
    BftlabNode.Running r = running.remove(id);
    if (r != null) {
      try {
        r.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("stopping " + id + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** Stops every running node. */
  public void stopAll() {
    for (NodeId id : new ArrayList<>(running.keySet())) {
      stop(id);
    }
  }

  /** The running node {@code id}, if running. */
  public Optional<BftlabNode.Running> node(NodeId id) {
    return Optional.ofNullable(running.get(id));
  }

  /**
   * Waits until every running node's transport lists every other running node, polling every
   * 100 ms.
   *
   * @throws IllegalStateException naming the nodes still missing peers when {@code timeout} passes
   */
  public void awaitConnected(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    Object lock = new Object();
    while (true) {
      List<String> missing = new ArrayList<>();
      for (BftlabNode.Running r : running.values()) {
        int peers = r.components().transport().reachablePeers().size();
        if (peers < running.size() - 1) {
          missing.add(r.nodeId() + " sees " + peers + " peers");
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("cluster did not form within " + timeout + ": " + missing);
      }
      synchronized (lock) {
        lock.wait(100);
      }
    }
  }

  @Override
  public void close() {
    stopAll();
  }

  /**
   * {@code count} consecutive free TCP ports on 127.0.0.1, below the kernel's ephemeral range
   * (32768+ on Linux) so that outgoing connections of nodes already running cannot take them
   * between this check and the bind.
   */
  static int[] freePortRange(int count) throws IOException {
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = 20000 + random.nextInt(12000 - count);
      boolean ok = true;
      for (int p = first; p < first + count && ok; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          ok = false;
        }
      }
      if (ok) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
          ports[i] = first + i;
        }
        return ports;
      }
    }
    throw new IOException("found no " + count + " consecutive free ports in 20000..31999 on 127.0.0.1");
  }
}
