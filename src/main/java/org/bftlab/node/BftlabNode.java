package org.bftlab.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.SerializationExtension;
import org.bftlab.api.AdminAuth;
import org.bftlab.api.HttpApi;
import org.bftlab.api.HttpLimits;
import org.bftlab.api.NodeInfo;
import org.bftlab.codec.WireLimits;
import org.bftlab.config.NodeSettings;
import org.bftlab.config.TlsSettings;
import org.bftlab.config.TraceSettings;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.crypto.CryptoFileException;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;
import org.bftlab.crypto.GenesisNode;
import org.bftlab.crypto.KeyPermissions;
import org.bftlab.crypto.TlsMaterial;
import org.bftlab.crypto.VerifiedRequests;
import org.bftlab.metrics.NodeMetrics;
import org.bftlab.node.k8s.ClusterFormation;
import org.bftlab.node.k8s.DiscoverySettings;
import org.bftlab.node.k8s.Probes;
import org.bftlab.trace.LiveTrace;
import org.bftlab.trace.NodeEvents;
import org.bftlab.trace.RunInfo;
import org.bftlab.transport.NodeInbox;
import org.bftlab.transport.WireSerializer;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.tls.MemberSslEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one bftlab node: its own ActorSystem joined to the cluster's Pekko cluster (seed nodes
 * = every replica in the genesis file), the three protocol actors journaled to LevelDB in the
 * node's data directory, and the HTTP API.
 */
public final class BftlabNode {
  private static final Logger LOG = LoggerFactory.getLogger(BftlabNode.class);

  /** Name of every node's ActorSystem; one cluster needs one name. */
  public static final String SYSTEM_NAME = "bftlab";

  private BftlabNode() {}

  /**
   * A running node.
   *
   * @param nodeId the node
   * @param system its ActorSystem
   * @param binding its HTTP server binding
   * @param components its protocol actors
   * @param blocks its block store (closed once the system has stopped)
   */
  public record Running(NodeId nodeId, ActorSystem<Void> system, ServerBinding binding,
      NodeComponents components, LevelDbBlockStore blocks) {
    /** The HTTP port actually bound. */
    public int httpPort() {
      return binding.localAddress().getPort();
    }

    /** Unbinds HTTP and terminates the ActorSystem (journal flushed and closed). */
    public CompletionStage<Done> stop() {
      return binding.unbind().exceptionally(t -> Done.getInstance()).thenCompose(d -> {
        system.terminate();
        return system.getWhenTerminated();
      }).thenApply(done -> {
        // the store closes on termination too; closing here as well orders it before a restart
        closeQuietly(blocks);
        return done;
      });
    }
  }

  /**
   * Starts a node from its settings and base configuration (which holds the {@code pekko}
   * section; per-node values are layered on top).
   *
   * @throws IOException when the genesis file, key or data directory cannot be read or created
   * @throws IllegalArgumentException when the genesis file or key is invalid, or the node is not in it
   * @throws org.bftlab.crypto.InsecureKeyFileException when others than its owner may read the
   *     private key file (nothing is started)
   */
  public static Running start(NodeSettings settings, Config base) throws IOException {
    return start(settings, base, null);
  }

  /**
   * As {@link #start(NodeSettings, Config)}, this node Byzantine by {@code byzantine} (null: a
   * correct node) — for {@code bftlab lab} and tests only ({@code bftlab node --byzantine}).
   */
  public static Running start(NodeSettings settings, Config base, ByzantineSpec byzantine)
      throws IOException {
    return start(settings, base, byzantine, java.util.Set.of());
  }

  /**
   * As {@link #start(NodeSettings, Config, ByzantineSpec)}, with deliberate protocol bugs planted
   * in this node's cores ({@link org.bftlab.core.PlantedBug}; empty: none) — for negative-control
   * tests only, through the gated {@code bftlab node --planted-bug} ({@code
   * org.bftlab.cli.PlantedBugGate}); logged at WARN.
   */
  public static Running start(NodeSettings settings, Config base, ByzantineSpec byzantine,
      java.util.Set<org.bftlab.core.PlantedBug> plantedBugs) throws IOException {
    if (!plantedBugs.isEmpty()) {
      LOG.warn("{} runs with PLANTED BUGS {}: it violates the protocol on purpose; negative-control"
          + " tests only", settings.nodeId(), plantedBugs);
    }
    if (byzantine != null) {
      LOG.warn("{} runs BYZANTINE ({}): its messages to peers are rewritten; lab and tests only",
          settings.nodeId(), byzantine);
    }
    KeyPermissions.requireOwnerOnly(settings.privateKeyFile());
    Genesis genesis = Genesis.read(settings.genesisFile());
    GenesisNode me = genesis.node(settings.nodeId()).orElseThrow(() ->
        new IllegalArgumentException(settings.nodeId() + " is not a replica in "
            + settings.genesisFile() + " (replicas: " + genesis.nodeIds() + ")"));
    // each client signature verified once per replica (issue 9 item 3); counts for /metrics
    VerifiedRequests auth = new VerifiedRequests(
        GenesisAuthenticator.forReplica(genesis, settings.nodeId(), settings.privateKeyFile()));
    ProtocolParams params = settings.protocol().toParams(genesis.clusterId(), genesis.nodeIds());
    Files.createDirectories(settings.dataDir());
    if (settings.journal().checksum()) {
      JournalCheck.verify(settings.dataDir().toAbsolutePath().resolve("journal"));
    }
    TlsSettings tls = TlsSettings.from(base.resolve(), settings);
    if (tls.enabled()) {
      checkTls(tls);
    }
    Config config = MemberSslEngineProvider.pekkoConfig(tls)
        .withFallback(systemConfig(settings, genesis, me)).withFallback(base).resolve();
    Map<String, JournalMark> marks = openMarks(settings);
    // Kubernetes hook: Cluster Bootstrap instead of genesis seed nodes when configured (node/k8s)
    DiscoverySettings discovery = DiscoverySettings.from(config);
    config = ClusterFormation.overrides(discovery, genesis, me)
        .withFallback(config);

    CompletableFuture<NodeComponents> started = new CompletableFuture<>();
    // GET /metrics (org.bftlab.metrics) and the live trace observe the shell's reports
    NodeMetrics metrics = new NodeMetrics(settings.nodeId(), params);
    LiveTrace trace = liveTrace(TraceSettings.from(config), settings, params);
    NodeEvents events = trace == null ? metrics : NodeEvents.both(metrics, trace);
    LevelDbBlockStore blocks = openBlocks(settings);
    ActorSystem<Void> system = ActorSystem.create(
        NodeGuardian.create(params, settings.nodeId(), auth, settings.tick(),
            settings.journal().snapshotEvery(), started, marks::get, events, blocks,
            byzantine, plantedBugs, discovery.bootstrap() ? Map.of() : peerInboxes(genesis, me)),
        SYSTEM_NAME, config);
    system.getWhenTerminated().whenComplete((done, t) -> {
      closeQuietly(blocks);
      metrics.close();
      if (trace != null) {
        trace.close();
      }
    });
    try {
      ClusterFormation.start(system, discovery);
      NodeComponents components = started.get(30, TimeUnit.SECONDS);
      metrics.bind(() -> components.transport().reachablePeers().size(),
          components.faults()::dropped, auth::counts, trace == null ? () -> 0L : trace::dropped);
      if (SerializationExtension.get(system.classicSystem())
          .serializerFor(NodeInbox.PeerEnvelope.class) instanceof WireSerializer wire) {
        metrics.bindUndecodable(wire.drops()::total);
      }
      components.committed().onStable(auth::onStableCheckpoint);
      // serve nothing before the journal is replayed (readiness: recovered, then HTTP)
      components.recovered().get(settings.journal().recoveryTimeout().toMillis(),
          TimeUnit.MILLISECONDS);
      NodeInfo info = new NodeInfo(genesis.clusterId(), settings.nodeId(), params.n(), params.f());
      ActorNodeFacade facade = new ActorNodeFacade(system, components, params, info,
          new BlockCommitCore(params, settings.nodeId(), auth), settings.askTimeout(), metrics,
          events, trace);
      facade.status().thenAccept(s -> metrics.seed(s.height(), s.view(),
          s.lastStableCheckpoint()));
      int port = settings.httpPort() != 0 ? settings.httpPort() : me.httpPort();
      var served = Probes.withReadiness(facade, genesis, settings.nodeId(),
          params, system, components.recovered());
      ServerBinding binding = HttpApi.bind(system, settings.httpHost(), port, served, params, auth,
              HttpApi.DEFAULT_REQUEST_TIMEOUT, AdminAuth.of(genesis, settings.nodeId()),
              HttpLimits.from(config.getConfig("bftlab.http.limits")))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      LOG.info("{}: inter-node transport {}", settings.nodeId(), tls.describe());
      LOG.info("{}: Ed25519 by {}", settings.nodeId(),
          org.bftlab.crypto.Ed25519.implementation());
      LOG.info("{} started: cluster {}, n={}, f={}, http {}:{}, data {}", settings.nodeId(),
          genesis.clusterId(), params.n(), params.f(), settings.httpHost(),
          binding.localAddress().getPort(), settings.dataDir());
      return new Running(settings.nodeId(), system, binding, components, blocks);
    } catch (Exception e) {
      // a component that failed to recover stops the node itself, once its siblings' journal
      // replays have ended (ReplaySettle: stopping during a replay crashes leveldbjni)
      NodeComponents spawned = started.getNow(null);
      if (spawned != null && spawned.failure().isDone()) {
        try {
          system.getWhenTerminated().toCompletableFuture()
              .get(ReplaySettle.BOUND.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception slow) {
          LOG.warn("{}: the failed node did not stop on its own: {}", settings.nodeId(),
              slow.toString());
        }
      }
      // it never served: stop what started, but do not wait on a graceful cluster leave
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception slow) {
        LOG.warn("{}: the actor system did not stop within 10 s of the failed start; exiting"
            + " anyway", settings.nodeId());
      }
      Throwable cause = e instanceof ExecutionException && e.getCause() != null
          ? e.getCause() : e;
      throw new IOException("node " + settings.nodeId() + " failed to start: "
          + cause.getMessage(), cause);
    }
  }

  /**
   * The live trace in {@code <data-dir>/trace} when {@code bftlab.trace.enabled}, else null.
   * Call before the journal is opened: a journal already there makes the first lines
   * {@code run}, {@code restart}.
   */
  private static LiveTrace liveTrace(TraceSettings t, NodeSettings s, ProtocolParams params)
      throws IOException {
    if (!t.enabled()) {
      return null;
    }
    Path data = s.dataDir().toAbsolutePath();
    boolean restarted = Files.exists(data.resolve("journal").resolve("CURRENT"));
    RunInfo run = new RunInfo(0, params.n(), params.f(), params.clusterId(), "ED25519", 0, 0, 0);
    LOG.info("{}: live trace on, in {}", s.nodeId(), data.resolve("trace"));
    return new LiveTrace(s.nodeId(), data.resolve("trace"), t.maxFileBytes(), t.maxFiles(),
        t.queue(), s.tick(), run, restarted);
  }

  /** Loads the TLS files once before anything listens; a bad file stops the start, named. */
  private static void checkTls(TlsSettings tls) throws CryptoFileException {
    try {
      TlsMaterial.load(tls, Instant.now());
    } catch (CryptoFileException e) {
      LOG.error("{}: cannot start with TLS: {}", tls.nodeId(), e.getMessage());
      throw e;
    }
  }

  /**
   * One {@link JournalMark} per component in {@code <data-dir>/journal-mark/}. Written without
   * fsync: a write reaches the page cache before any output is sent, which survives a process
   * crash (kill -9) and catches a journal file cut or emptied while the machine stays up; an
   * fsync per sending round cost ~4.5 ms here (JournalMarkTest), as much as the journal's own.
   * After a power loss the mark can only lag the journal (never run ahead of it), so it never
   * refuses a good journal.
   */
  static Map<String, JournalMark> openMarks(NodeSettings settings) throws IOException {
    Path dir = settings.dataDir().toAbsolutePath().resolve("journal-mark");
    Map<String, JournalMark> marks = new HashMap<>();
    for (String component : List.of("election", "agreement", "block-commit")) {
      marks.put(component, JournalMark.open(dir.resolve(component), MARK_FSYNC));
    }
    return marks;
  }

  /**
   * The block store in {@code <data-dir>/blocks} (issue 9 item 7), checked like the journal when
   * checksums are on; a damaged one stops the start with the reason.
   */
  static LevelDbBlockStore openBlocks(NodeSettings settings) throws IOException {
    Path dir = settings.dataDir().toAbsolutePath().resolve("blocks");
    if (settings.journal().checksum()) {
      JournalCheck.verify(dir);
      JournalCheck.verify(dir.resolve(LevelDbBlockStore.INDEX_DIR));
    }
    return LevelDbBlockStore.open(dir, LevelDbProbe.useNative(settings.journal().leveldb()));
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {}: {}", c, e.toString());
    }
  }

  /**
   * Each peer's inbox by its address in the genesis file
   * ({@code pekko://bftlab@host:port/user/inbox}, the path {@link NodeGuardian} spawns it at):
   * where the transport sends until the receptionist lists the peer. Only with the genesis seed
   * nodes, where the genesis host is the peer's canonical hostname (Cluster Bootstrap advertises
   * the pod IP instead).
   */
  static Map<org.bftlab.core.model.NodeId, String> peerInboxes(Genesis genesis, GenesisNode me) {
    Map<org.bftlab.core.model.NodeId, String> out = new HashMap<>();
    for (GenesisNode n : genesis.nodes()) {
      if (!n.id().equals(me.id())) {
        out.put(n.id(), "pekko://" + SYSTEM_NAME + "@" + n.host() + ":" + n.pekkoPort() + "/user/"
            + NodeGuardian.INBOX);
      }
    }
    return Map.copyOf(out);
  }

  /** The per-node Pekko settings derived from the genesis file and the node's settings. */
  static Config systemConfig(NodeSettings s, Genesis genesis, GenesisNode me) {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.hostname", me.host());
    m.put("pekko.remote.artery.canonical.port", me.pekkoPort());
    // the largest legal message: a full PRE-PREPARE of the largest requests, or a NEW-VIEW
    // (headers only; grows with n and L) in a large cluster (WireLimits)
    m.put("pekko.remote.artery.advanced.maximum-frame-size", WireLimits.maxMessageBytes(
        s.protocol().batchSize(), s.protocol().maxRequestBytes(), genesis.nodes().size(),
        s.protocol().watermarkWindow()));
    List<String> seeds = genesis.nodes().stream()
        .map(n -> "pekko://" + SYSTEM_NAME + "@" + n.host() + ":" + n.pekkoPort())
        .toList();
    m.put("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
    Path data = s.dataDir().toAbsolutePath();
    if (Files.exists(data.resolve("journal").resolve("CURRENT"))) {
      // a restart: the others most likely form the cluster already; node-0 (the first seed)
      // must wait for their InitJoinAck rather than form an island of one when the TLS
      // handshakes of a loaded machine take longer than Pekko's 5 s (PrimaryKillsIT)
      m.put("pekko.cluster.seed-node-timeout", RESTART_SEED_NODE_TIMEOUT);
    }
    m.put("pekko.persistence.journal.leveldb.dir", data.resolve("journal").toString());
    m.put("pekko.persistence.journal.leveldb.native", LevelDbProbe.useNative(s.journal().leveldb()));
    m.put("pekko.persistence.journal.leveldb.fsync", s.journal().fsync());
    m.put("pekko.persistence.journal.leveldb.checksum", s.journal().checksum());
    m.put("pekko.persistence.snapshot-store.local.dir", data.resolve("snapshots").toString());
    return ConfigFactory.parseMap(m);
  }

  /**
   * Pekko's {@code seed-node-timeout} on a restart (a journal exists): how long the first seed
   * waits for an existing member before it forms a cluster alone. At a first start Pekko's 5 s
   * stays: the first seed waits that long for seeds that have not started yet, and a longer wait
   * only delays the cluster's first commit (DownedReplicaIT waited 30 s with 30 s everywhere).
   */
  static final String RESTART_SEED_NODE_TIMEOUT = "30s";

  /** Whether the journal mark is fsynced on every write (see {@link #openMarks}). */
  static final boolean MARK_FSYNC = Boolean.getBoolean("bftlab.journal-mark.fsync");
}
