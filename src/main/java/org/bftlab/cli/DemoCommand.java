package org.bftlab.cli;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.LoadGenerator;
import org.bftlab.client.LoadReport;
import org.bftlab.client.PortabilityRun;
import org.bftlab.client.ReplyVerifier;
import org.bftlab.codec.Json;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.ClientId;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.lab.LabFiles;
import org.bftlab.node.LocalCluster;
import org.bftlab.step.LiveView;
import org.bftlab.workload.PortabilityWorkload;
import org.bftlab.workload.Workload;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bftlab demo}: an n-node cluster in one JVM (one ActorSystem and one LevelDB directory
 * per node, one Pekko cluster over loopback), a signed workload through the real client path,
 * and a summary. Exits 0 only when every node ends with the same head.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run an n-node cluster in one JVM with a signed workload and print a summary.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "4", description = "Replicas, n = 3f+1 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--transactions", defaultValue = "1000", description = "Transactions to submit (default ${DEFAULT-VALUE}).")
  int transactions;

  @Option(names = "--clients", defaultValue = "4", description = "Signing clients (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--concurrency", defaultValue = "64", description = "Transactions in flight (default ${DEFAULT-VALUE}, as bftlab bench): more in flight, larger batches.")
  int concurrency;

  @Option(names = "--seed", defaultValue = "1", description = "Workload seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data-dir", defaultValue = "data/demo", description = "Keys and node data (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--keep-data", description = "Reuse the data directory of an earlier run instead of starting fresh.")
  boolean keepData;

  @Option(names = "--workload", defaultValue = "token", description = "token (mints, transfers, overdrafts, a replay) or portability (telcos porting numbers, some conflicting; about --transactions/4 numbers). Default ${DEFAULT-VALUE}.")
  String workloadName;

  @Option(names = "--json", description = "Print the summary as one JSON object on stdout.")
  boolean json;

  @Option(names = "--verbose", description = "Log node activity to stderr.")
  boolean verbose;

  @Option(names = "--ui", description = "Serve the stepper's page, read-only, over the live cluster's trace (Lamport diagram, replica states) on 127.0.0.1.")
  boolean ui;

  @Option(names = "--ui-port", defaultValue = "8091", description = "Port of --ui on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int uiPort;

  @Option(names = "--ui-linger", defaultValue = "-1", description = "With --ui: seconds to keep serving the page after the run (default ${DEFAULT-VALUE}: until Ctrl-C; 0: exit).")
  long uiLinger;

  @Override
  public Integer call() throws Exception {
    if (nodes < 4 || (nodes - 1) % 3 != 0) {
      System.err.println("bftlab demo: PBFT needs n = 3f+1 >= 4 nodes (4, 7, 10 ...), got --nodes " + nodes);
      return 2;
    }
    if (!workloadName.equals("token") && !workloadName.equals("portability")) {
      System.err.println("bftlab demo: --workload is token or portability, got " + workloadName);
      return 2;
    }
    if (!verbose) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.bftlab")).setLevel(Level.WARN);
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.pekko")).setLevel(Level.ERROR);
    }
    PrintStream progress = System.err;
    LocalCluster cluster = openCluster(progress);
    LiveView view = null;
    try {
      if (ui) {
        view = LiveView.start(List.of(dataDir), uiPort);
        progress.println("live view (read-only): " + view.url());
      }
      int code = run(cluster, progress);
      linger(view, progress);
      return code;
    } finally {
      if (view != null) {
        view.close();
      }
    }
  }

  /** With --ui, keeps the page up after the run: --ui-linger seconds, or until Ctrl-C. */
  private void linger(LiveView view, PrintStream progress) throws InterruptedException {
    if (view == null || uiLinger == 0) {
      return;
    }
    progress.println("the run is over; the live view stays at " + view.url()
        + (uiLinger < 0 ? " until Ctrl-C" : " for " + uiLinger + " s"));
    Object lock = new Object();
    synchronized (lock) {
      if (uiLinger < 0) {
        while (true) {
          lock.wait();
        }
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(uiLinger);
      for (long left = uiLinger * 1000; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
        lock.wait(left);
      }
    }
  }

  private int run(LocalCluster cluster, PrintStream progress) throws Exception {
    try {
      progress.printf("starting %d nodes (f = %d) ...%n", nodes, (nodes - 1) / 3);
      progress.println("inter-node transport: " + (ConfigLoader.defaults().resolve()
          .getBoolean("bftlab.local-cluster.tls") ? "mutual TLS 1.3 on loopback (member "
          + "certificates of the demo's CA)" : "plain TCP on loopback, no TLS (one JVM; "
          + "'bftlab node' clusters use mutual TLS; -Dbftlab.local-cluster.tls=on to try it here)"));
      cluster.startAll();
      cluster.awaitConnected(Duration.ofSeconds(90));
      Genesis genesis = cluster.genesis();
      List<BftlabClient> cs = new ArrayList<>();
      ReplyVerifier replies = ReplyVerifier.fromGenesis(genesis);
      for (var gc : genesis.clients()) {
        byte[] key = KeyFiles.readPrivateKey(cluster.clientKey(gc.id().value()));
        cs.add(new BftlabClient(genesis.clusterId(), gc.id(), Ed25519.signingKey(key)::sign,
            cluster.httpUrls(), genesis.f(), Duration.ofSeconds(60),
            BftlabClient.Options.defaults().withReplyVerifier(replies)));
      }
      for (BftlabClient c : cs) {
        c.awaitRepliesByPush(Duration.ofSeconds(10)); // else it polls until its sockets open
      }
      List<ClientId> ids = cs.stream().map(BftlabClient::clientId).toList();
      if (workloadName.equals("portability")) {
        return portability(cluster, cs, ids, progress);
      }
      Workload workload = Workload.generate(seed, ids, Math.max(transactions, Workload.minimumTransactions(ids.size())));
      progress.printf("running %d signed transactions from %d clients, %d in flight ...%n",
          workload.steps().size(), ids.size(), concurrency);
      int total = workload.steps().size();
      long step = Math.max(1, total / 20);
      LoadReport report = new LoadGenerator(cs, Duration.ofSeconds(60)).run(workload, concurrency, 0,
          done -> {
            if (done % step == 0 || done == total) {
              progress.printf("  committed %d/%d%n", done, total);
            }
          });
      progress.println();
      List<NodeStatus> heads = awaitSameHeads(cs.get(0), Duration.ofSeconds(30));
      String receipt = receipt(cluster, cs.get(0));
      cs.forEach(BftlabClient::close);
      boolean identical = heads.size() == nodes
          && heads.stream().map(NodeStatus::headHash).distinct().count() == 1
          && heads.stream().map(NodeStatus::height).distinct().count() == 1;
      print(report, heads, identical);
      if (!json) {
        System.out.println("  " + receipt);
      }
      return identical ? 0 : 1;
    } finally {
      cluster.close();
    }
  }

  /** The portability workload: telcos = the genesis clients; prints its outcome counts. */
  private int portability(LocalCluster cluster, List<BftlabClient> cs, List<ClientId> ids,
      PrintStream progress) throws Exception {
    PortabilityWorkload w = PortabilityWorkload.generate(seed, ids, Math.max(4, transactions / 4));
    progress.printf("porting %d numbers among %d telcos (%s) ...%n", w.numbers().size(),
        ids.size(), ids);
    PortabilityRun.Report report = new PortabilityRun(cs::get, Duration.ofSeconds(60)).run(w);
    List<NodeStatus> heads = awaitSameHeads(cs.get(0), Duration.ofSeconds(30));
    String receipt = receipt(cluster, cs.get(0));
    cs.forEach(BftlabClient::close);
    boolean identical = heads.size() == nodes
        && heads.stream().map(NodeStatus::headHash).distinct().count() == 1;
    System.out.println();
    System.out.printf("bftlab demo --workload portability: n = %d, f = %d%n", nodes,
        (nodes - 1) / 3);
    System.out.print(report.toText().indent(2));
    printHeads(heads, identical);
    System.out.println("  " + receipt);
    return identical ? 0 : 1;
  }

  /** Saves and checks the receipt of block 1's first transaction ({@link DemoReceipt}). */
  private String receipt(LocalCluster cluster, BftlabClient client) {
    return DemoReceipt.save(cluster.genesis(), client, cluster.httpUrls().get(0), dataDir,
        dataDir.resolve(CryptoGen.GENESIS_FILE));
  }

  private void printHeads(List<NodeStatus> heads, boolean identical) {
    long height = heads.stream().mapToLong(NodeStatus::height).max().orElse(0);
    System.out.printf("  chain: %d blocks; heads:%n", height);
    for (NodeStatus s : heads) {
      System.out.printf("    %-8s view %d  height %-5d  head %s%n", s.nodeId(), s.view(), s.height(), s.headHash());
    }
    System.out.println(identical ? "  heads identical on all " + nodes + " nodes"
        : "  HEADS DIFFER (or a node did not answer): FAILED");
  }

  private LocalCluster openCluster(PrintStream progress) throws IOException {
    Path genesisFile = dataDir.resolve(CryptoGen.GENESIS_FILE);
    if (keepData && Files.exists(genesisFile)) {
      Genesis g = Genesis.read(genesisFile);
      if (g.n() != nodes) {
        throw new IllegalArgumentException(dataDir + " holds a " + g.n() + "-node cluster; run without --keep-data or with --nodes " + g.n());
      }
      progress.println("reusing " + dataDir);
      return LocalCluster.open(dataDir, g, demoConfig());
    }
    LabFiles.deleteTree(dataDir);
    return LocalCluster.generate(dataDir, nodes, clients, "bftlab-demo", demoConfig());
  }

  /** The defaults with the live trace on (data/demo/data/node-i/trace; bftlab check --trace). */
  private static com.typesafe.config.Config demoConfig() {
    return com.typesafe.config.ConfigFactory.parseString("bftlab.trace.enabled = on")
        .withFallback(ConfigLoader.defaults());
  }

  /** Polls the nodes' status until all report the same height and head hash, or the timeout. */
  private List<NodeStatus> awaitSameHeads(BftlabClient client, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    List<NodeStatus> last = List.of();
    Object lock = new Object();
    while (System.nanoTime() < end) {
      last = client.statuses().get(10, TimeUnit.SECONDS);
      if (last.size() == nodes && last.stream().map(NodeStatus::headHash).distinct().count() == 1) {
        return last;
      }
      synchronized (lock) {
        lock.wait(200);
      }
    }
    return last;
  }

  private void print(LoadReport r, List<NodeStatus> heads, boolean identical) throws IOException {
    long height = heads.stream().mapToLong(NodeStatus::height).max().orElse(0);
    if (json) {
      var mapper = Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode o = mapper.createObjectNode();
      o.put("nodes", nodes);
      o.put("f", (nodes - 1) / 3);
      o.put("blocks", height);
      o.put("identicalHeads", identical);
      o.set("load", mapper.readTree(r.toJson()));
      ArrayNode hs = o.putArray("heads");
      for (NodeStatus s : heads) {
        hs.add(mapper.valueToTree(s));
      }
      System.out.println(mapper.writeValueAsString(o));
      return;
    }
    System.out.println();
    System.out.printf("bftlab demo: n = %d, f = %d%n", nodes, (nodes - 1) / 3);
    System.out.print(r.toText().indent(2));
    printHeads(heads, identical);
  }
}
