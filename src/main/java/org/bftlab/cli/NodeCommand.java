package org.bftlab.cli;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.bftlab.codec.Json;
import org.bftlab.config.ConfigLoader;
import org.bftlab.config.NodeSettings;
import org.bftlab.core.PlantedBug;
import org.bftlab.crypto.InsecureKeyFileException;
import org.bftlab.node.BftlabNode;
import org.bftlab.node.NodeExit;
import org.bftlab.node.k8s.DiscoverySettings;
import org.bftlab.sim.scenario.ByzantineEntry;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bftlab node --config FILE}: runs one node in this process until it is stopped. Exit
 * codes ({@link NodeExit}): 0 after a requested shutdown (SIGTERM, Ctrl-C), 1 when the node
 * cannot start, 2 for an unreadable configuration or a private key file others may read (the
 * message gives the fix), 3 when the node stopped on its own (reason at ERROR) — a supervisor
 * restarts on any non-zero code.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one bftlab node (one replica) in this process.")
public final class NodeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

  @Option(names = "--config", required = true, description = "Node configuration file (HOCON).")
  Path config;

  @Option(names = "--data-dir", description = "Override bftlab.data-dir.")
  Path dataDir;

  @Option(names = "--byzantine", hidden = true, paramLabel = "JSON",
      description = "Lab and tests only: make this node Byzantine, e.g. "
          + "{\"strategy\":\"equivocate\",\"node\":\"node-0\"} (a scenario file's entry).")
  String byzantine;

  @Option(names = "--planted-bug", hidden = true, paramLabel = "NAME",
      description = "Negative-control tests only, and only with BFTLAB_TEST_PLANTED_BUGS=1: "
          + "plant a deliberate protocol bug (org.bftlab.core.PlantedBug), e.g. COMMIT_QUORUM_2F.")
  List<String> plantedBugs;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings;
    // this command owns the JVM shutdown hook (bounded, below); Pekko's own hook would wait for
    // every coordinated-shutdown phase instead, e.g. a cluster leave that cannot converge while a
    // killed incarnation of this node is still a member, so a node refusing its journal took
    // longer than 30 s to exit (CatchUpAndAmnesiaIT on CI)
    var cfg = ConfigFactory.parseString("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
        .withFallback(ConfigLoader.load(config));
    try {
      // on Kubernetes the node id comes from the pod's host name (bftlab-3 -> node-3)
      cfg = DiscoverySettings.from(cfg).applyNodeId(cfg);
      settings = NodeSettings.from(cfg);
    } catch (IllegalArgumentException e) {
      System.err.println("bftlab node: " + e.getMessage());
      return NodeExit.BAD_CONFIGURATION;
    }
    if (dataDir != null) {
      settings = settings.withDataDir(dataDir);
    }
    ByzantineSpec strategy = null;
    if (byzantine != null) {
      try {
        ByzantineEntry entry = Json.mapper().readValue(byzantine, ByzantineEntry.class);
        if (!entry.node().equals(settings.nodeId())) {
          throw new IllegalArgumentException("--byzantine names " + entry.node() + ", this is "
              + settings.nodeId());
        }
        strategy = entry.spec();
      } catch (IOException | IllegalArgumentException e) {
        System.err.println("bftlab node: bad --byzantine: " + e.getMessage());
        return NodeExit.BAD_CONFIGURATION;
      }
    }
    Set<PlantedBug> bugs;
    try {
      bugs = PlantedBugGate.parse(plantedBugs, System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("{} refuses to start, exit code {}: {}", settings.nodeId(),
          NodeExit.BAD_CONFIGURATION, e.getMessage());
      System.err.println("bftlab node: " + e.getMessage());
      return NodeExit.BAD_CONFIGURATION;
    }
    BftlabNode.Running node;
    try {
      node = BftlabNode.start(settings, cfg, strategy, bugs);
    } catch (InsecureKeyFileException e) {
      LOG.error("{} refuses to start, exit code {}: {}", settings.nodeId(),
          NodeExit.BAD_CONFIGURATION, e.getMessage());
      System.err.println("bftlab node: " + e.getMessage());
      return NodeExit.BAD_CONFIGURATION;
    } catch (Exception e) {
      LOG.error("{} could not start, exit code {}: {}", settings.nodeId(), NodeExit.START_FAILED,
          e.getMessage());
      System.err.println("bftlab node: " + e.getMessage());
      return NodeExit.START_FAILED;
    }
    CountDownLatch done = new CountDownLatch(1);
    node.system().getWhenTerminated().thenRun(done::countDown);
    AtomicBoolean stopRequested = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopRequested.set(true);
      node.stop();
      try {
        // bounded: with TLS, Pekko's stream actors may keep the ActorSystem from terminating
        // (akka/akka-core#29162); the journal is fsynced, so exiting anyway loses nothing
        if (!done.await(30, TimeUnit.SECONDS)) {
          System.err.println("bftlab node: the actor system did not terminate within 30 s;"
              + " exiting anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bftlab-shutdown"));
    System.out.println(settings.nodeId() + " running, HTTP port " + node.httpPort());
    done.await();
    NodeExit exit = NodeExit.decide(stopRequested.get(),
        Optional.ofNullable(node.components().failure().getNow(null)),
        CoordinatedShutdown.get(node.system()).getShutdownReason());
    if (!exit.requested()) {
      LOG.error("{} stopped without a shutdown request, exit code {}: {}", settings.nodeId(),
          exit.code(), exit.reason());
      System.err.println("bftlab node: " + exit.reason());
    }
    return exit.code();
  }
}
