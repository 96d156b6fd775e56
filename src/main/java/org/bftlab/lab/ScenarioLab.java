package org.bftlab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.LoadGenerator;
import org.bftlab.client.LoadReport;
import org.bftlab.client.ReplyVerifier;
import org.bftlab.codec.Json;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.sim.check.Checkers;
import org.bftlab.sim.check.Verdict;
import org.bftlab.sim.scenario.ByzantineEntry;
import org.bftlab.sim.scenario.ExpectationResult;
import org.bftlab.sim.scenario.ProcessFaultSpec;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.ScenarioRunner;
import org.bftlab.trace.LiveRun;
import org.bftlab.trace.TraceEvent.Kind;
import org.bftlab.workload.Workload;

/**
 * Runs one scenario file, unchanged, against a real multi-process cluster on this machine and
 * judges it with the simulator's checkers ({@link Checkers}, over {@link LiveRun}'s merge of the
 * nodes' live traces and the lab's own fault lines, {@link LabTrace}) and expectations
 * ({@link ScenarioRunner#judge}). Scenario tick t is wall-clock {@code t0 + t × tickMillis},
 * where t0 is when every node answered {@code /ready}. The workload is the simulator's
 * ({@link Workload#generate} with the scenario's seed), submitted through the real client
 * ({@link LoadGenerator}, one submission per {@code spacingTicks}). Faults: crash = SIGKILL by
 * pid, restart = the process started again on its data directory, pause = SIGSTOP … SIGCONT,
 * amnesia = the node's data directory (but its trace) deleted before its next start, network
 * rules = {@code PUT /admin/faults} on every node at t0 (again, shifted, on a restarted node),
 * a Byzantine strategy = {@code bftlab node --byzantine} (a hidden flag; the node logs it at WARN).
 * What cannot be done live is refused before anything starts ({@link #unsupported}). Every
 * process started is killed by pid when the run ends, and by a shutdown hook if the JVM exits.
 */
public final class ScenarioLab {
  /** The nodes' planted-bug gate variable (as {@code org.bftlab.cli.PlantedBugGate#ENV}). */
  static final String PLANTED_BUGS_ENV = "BFTLAB_TEST_PLANTED_BUGS";
  /** Grace after the workload and the last fault, for the last commits to reach every trace. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  /**
   * @param file the scenario file (for the report)
   * @param scenario the parsed scenario
   * @param workDir where the cluster, logs and traces go (created)
   * @param nodesDir an existing cluster ({@link ClusterLayout} files) to use, or null to generate
   *     one in {@code workDir/cluster} on free ports
   * @param tickMillis wall-clock length of one scenario tick (ms, >= 1)
   * @param jar the shaded bftlab jar the nodes run
   * @param jvmArgs JVM options of every node
   * @param livenessBound every transaction must commit within this after max(its submission,
   *     the last heal); null: the scenario's {@code withinTicks} × {@code tickMillis} (60 s when
   *     it has none)
   * @param plantedBugs negative-control tests only: bugs planted in every node ({@code bftlab node
   *     --planted-bug}, with the gate's environment variable, {@code
   *     org.bftlab.cli.PlantedBugGate}); empty for every real run, and {@code bftlab lab} has no
   *     option for it
   * @param netns run each node in its own network namespace ({@link NetLab}) and do the
   *     scenario's partitions (of every message type) as nftables drop rules between them; where
   *     namespaces cannot be made (not root, no iproute2 / nftables) the run says why and falls
   *     back to the admin API's transport rules. Needs a generated cluster (no {@code nodesDir}).
   */
  public record Options(Path file, Scenario scenario, Path workDir, Path nodesDir,
      long tickMillis, Path jar, List<String> jvmArgs, Duration livenessBound,
      Set<PlantedBug> plantedBugs, boolean netns) {
    public Options {
      Objects.requireNonNull(scenario, "scenario");
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(jar, "jar");
      if (tickMillis < 1) {
        throw new IllegalArgumentException("tick must be >= 1 ms, got " + tickMillis);
      }
      jvmArgs = List.copyOf(jvmArgs);
      plantedBugs = Set.copyOf(plantedBugs);
      if (netns && nodesDir != null) {
        throw new IllegalArgumentException("--netns generates its cluster (addresses in the "
            + "namespaces' subnet); it cannot use --nodes-dir " + nodesDir);
      }
    }

    /** Options with planted bugs, on loopback. */
    public Options(Path file, Scenario scenario, Path workDir, Path nodesDir, long tickMillis,
        Path jar, List<String> jvmArgs, Duration livenessBound, Set<PlantedBug> plantedBugs) {
      this(file, scenario, workDir, nodesDir, tickMillis, jar, jvmArgs, livenessBound,
          plantedBugs, false);
    }

    /** Options without planted bugs. */
    public Options(Path file, Scenario scenario, Path workDir, Path nodesDir, long tickMillis,
        Path jar, List<String> jvmArgs, Duration livenessBound) {
      this(file, scenario, workDir, nodesDir, tickMillis, jar, jvmArgs, livenessBound, Set.of());
    }
  }

  /**
   * A live run's judgement.
   *
   * @param verdict the checkers' verdict over the merged traces
   * @param expectations the scenario's expectations judged against it
   * @param wallMillis from the first node start to the last node stopped
   * @param workload what the client saw (committed, timed out …)
   * @param notes what the lab did differently from the simulator (e.g. a failed restart)
   */
  public record Outcome(Verdict verdict, List<ExpectationResult> expectations, long wallMillis,
      LoadReport workload, List<String> notes) {
    /** True when every expectation holds. */
    public boolean holds() {
      return expectations.stream().allMatch(ExpectationResult::holds);
    }
  }

  private final Options options;
  private final PrintStream progress;
  private final List<String> notes = Collections.synchronizedList(new ArrayList<>());

  public ScenarioLab(Options options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /**
   * The steps of {@code s} a live cluster cannot perform faithfully, each with the reason; empty
   * when the lab can run it.
   *
   * @param nodeTickMillis the nodes' {@code bftlab.tick}, in ms (network-rule windows use it)
   */
  public static List<String> unsupported(Scenario s, long tickMillis, long nodeTickMillis) {
    List<String> out = new ArrayList<>();
    Scenario.Faults f = s.faultsOrNone();
    for (ByzantineEntry b : f.byzantineNodes()) {
      if (b instanceof ByzantineEntry.Twin) {
        out.add("byzantine " + b.node() + " twin: a twin is a second instance with the same "
            + "identity, which one Pekko cluster member cannot be");
      }
    }
    for (ProcessFaultSpec p : f.processFaults()) {
      if (p instanceof ProcessFaultSpec.Truncate || p instanceof ProcessFaultSpec.Corrupt) {
        out.add(p + ": a live node checks its journal against its high-water mark and its "
            + "checksums and refuses to start on a truncated or corrupted one (exit 1), where the "
            + "simulator's replica recovers the shortened journal; not comparable, refused");
      } else if (p instanceof ProcessFaultSpec.Pause q && Boolean.FALSE.equals(q.keepMessages())) {
        out.add(p + ": keepMessages false cannot be done live (a SIGSTOPped process's peers "
            + "keep its messages in TCP and Pekko buffers)");
      }
    }
    if (!f.networkRules().isEmpty() && tickMillis != nodeTickMillis) {
      out.add("network rules: their windows and delays are applied by the nodes in node ticks ("
          + nodeTickMillis + " ms); run with --tick-ms " + nodeTickMillis);
    }
    return out;
  }

  /**
   * Runs the scenario; every process it started is gone when this returns or throws.
   *
   * @throws IllegalArgumentException when the scenario has an {@link #unsupported} step, or
   *     {@code nodesDir} does not fit it (size, data directories not empty)
   * @throws IOException when the cluster cannot be generated, started or its traces read
   */
  public Outcome run() throws IOException, InterruptedException {
    Scenario s = options.scenario();
    Files.createDirectories(options.workDir());
    NetLab net = netLab(s.cluster().nodes());
    try {
      return run(s, net);
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  /** The nodes' network namespaces when asked for and possible, else null (said why). */
  private NetLab netLab(int n) throws IOException {
    if (!options.netns()) {
      return null;
    }
    java.util.Optional<String> why = NetLab.unavailableBecause();
    if (why.isPresent()) {
      String note = "--netns: no network namespaces here (" + why.get() + "); partitions go "
          + "through the nodes' admin API (transport rules) instead";
      progress.println("lab: " + note);
      notes.add(note);
      return null;
    }
    NetLab net = NetLab.create(n);
    progress.printf("lab: %d network namespaces (%s … %s), partitions by nftables%n", n,
        net.namespace(0), net.namespace(n - 1));
    return net;
  }

  private Outcome run(Scenario s, NetLab net) throws IOException, InterruptedException {
    ClusterLayout layout = layout(s, net);
    Path labTraceDir = options.workDir().resolve("lab-trace");
    long started = System.nanoTime();
    LoadReport report;
    ScheduledExecutorService timeline = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bftlab-lab-timeline");
      t.setDaemon(true);
      return t;
    });
    try (LabTrace labTrace = new LabTrace(labTraceDir);
        NodeProcesses nodes = new NodeProcesses(layout, options.jar(),
            options.workDir().resolve("logs"), "lab", options.jvmArgs(),
            i -> net == null ? List.of() : net.execPrefix(i),
            i -> environment(options.plantedBugs()))) {
      Thread hook = new Thread(() -> {
        nodes.close();
        if (net != null) {
          net.close();
        }
      }, "bftlab-lab-cleanup");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        LabAdmin admin = new LabAdmin(layout.genesis(), layout.dir());
        String[][] args = withPlantedBugs(nodeArgs(s, layout.n()), options.plantedBugs());
        for (ByzantineEntry b : s.faultsOrNone().byzantineNodes()) {
          labTrace.line(Kind.RULE, b.node().toString(), b.toNode().label(),
              "bftlab node --byzantine " + args[b.node().index()][1]);
        }
        for (int i = 0; i < layout.n(); i++) {
          nodes.start(i, args[i]);
        }
        awaitReady(layout, admin, nodes);
        progress.printf("lab: %d nodes ready (pids %s) in %d ms; running %s%n", layout.n(),
            Stream.iterate(0, i -> i + 1).limit(layout.n()).map(nodes::pid).toList(),
            (System.nanoTime() - started) / 1_000_000, s.name());
        LabTimeline t = new LabTimeline(s, options.tickMillis(), layout, nodes, i -> args[i],
            admin, labTrace, timeline, notes, progress, net);
        long lastFaultMillis = t.start();
        long t0 = t.t0();
        report = workload(s, layout);
        long end = Math.max(System.currentTimeMillis(), t0 + lastFaultMillis)
            + settleAfter(s, report);
        for (long w = end - System.currentTimeMillis(); w > 0; w = end - System.currentTimeMillis()) {
          Thread.sleep(Math.min(w, 200));  // the timeline's last steps run on their own threads
        }
        timeline.shutdown();
        timeline.awaitTermination(30, TimeUnit.SECONDS);
        stopAll(layout, nodes);
      } finally {
        timeline.shutdownNow();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is exiting: the hook runs
        }
      }
    }
    long wall = (System.nanoTime() - started) / 1_000_000;
    long bound = boundMillis(s) / options.tickMillis();
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < layout.n(); i++) {
      dirs.add(layout.dataDir(i));
    }
    dirs.add(labTraceDir);
    Verdict v = Checkers.judge(LiveRun.merge(dirs, options.tickMillis(), bound),
        GenesisAuthenticator.forClientsAndReplicasOnly(layout.genesis()));
    return new Outcome(v, ScenarioRunner.judge(s.expect(), v), wall, report, List.copyOf(notes));
  }

  /** The liveness bound in ms: {@link Options#livenessBound()} or the scenario's. */
  private long boundMillis(Scenario s) {
    if (options.livenessBound() != null) {
      return options.livenessBound().toMillis();
    }
    return s.expect().liveness() == null ? 60_000
        : s.expect().liveness().withinTicks() * options.tickMillis();
  }

  /**
   * The lab's default wall-clock length of one scenario tick, in ms. The simulator delivers a
   * message in 1–2 ticks and processes it in none ({@code Simulation}: latency 1 + jitter 0..1);
   * a live message is signed, sent over Artery, verified and journaled (fsync) first, and on a
   * 2-core machine shared by four node JVMs (load 11) it took a median 145 ms from send to deliver
   * (p90 405 ms; measured from the nodes' traces). At 10 ms (a node's default tick) that is ~15
   * ticks, so every bound of a scenario written for the simulator is ~10 times too tight live; at
   * 50 ms it is ~3 ticks, close to the simulator's protocol time. The nodes tick at the same
   * length ({@link #nodeConfig}), so their timeouts, the network rules' windows, the fault
   * timeline and the liveness bound all scale together: the scenario is unchanged, only the
   * unit of time is chosen for the machine ({@code --tick-ms}).
   */
  public static final long DEFAULT_TICK_MILLIS = 50;

  /**
   * What a generated lab cluster's nodes add to their configuration: one node tick = one
   * scenario tick ({@code bftlab.tick}), so the protocol's timeouts (in ticks) and the network
   * rules' windows map to wall clock as the fault timeline does; the simulator's protocol
   * parameters where they differ from a node's defaults ({@code ScenarioRunner} runs every
   * scenario with {@code Simulation}'s: batch 16, retransmit 20 ticks, so a view-change timeout
   * T = 4 × 20 = 80 ticks instead of a node's 200), so a bound in ticks means the same protocol
   * time in both; and Pekko's scheduler at 1 ms resolution (default 10 ms), else a 10 ms
   * fixed-delay tick timer fires about every 20 ms and the nodes' protocol time runs at half the
   * scenario's.
   */
  static String nodeConfig(long tickMillis) {
    return "bftlab.tick = " + tickMillis + "ms\n"
        + "bftlab.protocol.batch-size = 16\n"
        + "bftlab.protocol.retransmit-ticks = 20\n"
        + "pekko.scheduler.tick-duration = 1ms\n";
  }

  /** Each node's extra {@code bftlab node} arguments: {@code --byzantine JSON} for a Byzantine one. */
  static String[][] nodeArgs(Scenario s, int n) {
    String[][] args = new String[n][0];
    for (ByzantineEntry b : s.faultsOrNone().byzantineNodes()) {
      try {
        args[b.node().index()] = new String[] {"--byzantine",
            Json.mapper().writerFor(ByzantineEntry.class).writeValueAsString(b)};
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("cannot write " + b + ": " + e.getMessage(), e);
      }
    }
    return args;
  }

  /** The nodes' extra environment: the trace on; the planted-bug gate open when bugs are planted. */
  static Map<String, String> environment(Set<PlantedBug> bugs) {
    return bugs.isEmpty() ? Map.of("BFTLAB_TRACE", "on")
        : Map.of("BFTLAB_TRACE", "on", PLANTED_BUGS_ENV, "1");
  }

  /** {@code args} with {@code --planted-bug NAME} for each bug added to every node's. */
  static String[][] withPlantedBugs(String[][] args, Set<PlantedBug> bugs) {
    String[][] out = new String[args.length][];
    for (int i = 0; i < args.length; i++) {
      List<String> a = new ArrayList<>(List.of(args[i]));
      bugs.stream().sorted().forEach(b -> a.addAll(List.of("--planted-bug", b.name())));
      out[i] = a.toArray(String[]::new);
    }
    return out;
  }

  private ClusterLayout layout(Scenario s, NetLab net) throws IOException {
    int n = s.cluster().nodes();
    if (options.nodesDir() == null) {
      return ClusterLayout.generate(options.workDir().resolve("cluster"),
          new ClusterLayout.Spec("lab", n, s.workload().clients(),
              i -> net == null ? "127.0.0.1" : net.nodeAddress(i), 0, 0,
              nodeConfig(options.tickMillis())));
    }
    Path dir = options.nodesDir().toAbsolutePath();
    ClusterLayout layout = new ClusterLayout(dir, Genesis.read(dir.resolve("genesis.json")));
    if (layout.n() != n) {
      throw new IllegalArgumentException(dir + " holds " + layout.n() + " nodes, the scenario "
          + "needs " + n);
    }
    if (layout.genesis().clients().size() < s.workload().clients()) {
      throw new IllegalArgumentException(dir + " lists " + layout.genesis().clients().size()
          + " clients, the scenario needs " + s.workload().clients());
    }
    for (int i = 0; i < n; i++) {
      Path d = layout.dataDir(i);
      if (Files.isDirectory(d)) {
        try (Stream<Path> entries = Files.list(d)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(d + " is not empty: a lab run starts from empty "
                + "data directories (move it away)");
          }
        }
      }
    }
    return layout;
  }

  private void awaitReady(ClusterLayout layout, LabAdmin admin, NodeProcesses nodes)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    for (int i = 0; i < layout.n(); i++) {
      while (!admin.answers200(layout.url(i).resolve("/ready"))) {
        if (!nodes.isRunning(i)) {
          throw new IllegalStateException("node-" + i + " exited with code "
              + nodes.process(i).orElseThrow().exitValue() + " before it was ready; see "
              + nodes.logFile(i));
        }
        if (System.nanoTime() > end) {
          throw new IllegalStateException("node-" + i + " was not ready within 4 min; see "
              + nodes.logFile(i));
        }
        Thread.sleep(100);
      }
    }
  }

  /** The simulator's client retry when a scenario names none ({@code Simulation}), in ticks. */
  static final long SIM_CLIENT_RETRY_TICKS = 60;

  /**
   * The real client's timeout for a scenario's workload: twice the scenario's client retry
   * ({@code retryTicks}, else the simulator's 60) in wall clock. The client re-sends an
   * unconfirmed request to every node at half its timeout (OSDI'99 §4.1), so it does so at the
   * tick the simulated client does; with a longer timeout a request given to a silent or crashed
   * primary waited a minute before any backup saw it (silent-primary, live: 60 s). The client
   * gives up at the full timeout where the simulated one retries again; the lab then waits
   * {@link #settleAfter} for late commits, which the checkers judge from the traces.
   */
  static Duration clientTimeout(Scenario.WorkloadSpec w, long tickMillis) {
    long retry = w.retryTicks() == null ? SIM_CLIENT_RETRY_TICKS : w.retryTicks();
    return Duration.ofMillis(2 * retry * tickMillis);
  }

  /**
   * How long the lab lets the nodes run after the workload returned: {@link #SETTLE}, or the
   * liveness bound when a request timed out at the client (it may still commit within its bound,
   * and only the traces can tell).
   */
  private long settleAfter(Scenario s, LoadReport report) {
    return report.timedOut() > 0 ? Math.max(SETTLE.toMillis(), boundMillis(s))
        : SETTLE.toMillis();
  }

  /** The scenario's workload through the real client; blocks until every step has an outcome. */
  private LoadReport workload(Scenario s, ClusterLayout layout)
      throws IOException, InterruptedException {
    Scenario.WorkloadSpec w = s.workload();
    List<ClientId> ids = new ArrayList<>();
    List<BftlabClient> clients = new ArrayList<>();
    ReplyVerifier verifier = ReplyVerifier.fromGenesis(layout.genesis());
    Duration timeout = clientTimeout(w, options.tickMillis());
    try {
      for (int j = 0; j < w.clients(); j++) {
        ClientId id = layout.genesis().clients().get(j).id();
        ids.add(id);
        Ed25519.SigningKey key = Ed25519.signingKey(KeyFiles.readPrivateKey(
            layout.dir().resolve("clients").resolve(id + ".key")));
        clients.add(new BftlabClient(layout.genesis().clusterId(), id, key::sign, layout.urls(),
            layout.f(), timeout, BftlabClient.Options.defaults().withReplyVerifier(verifier)));
      }
      Workload workload = Workload.generate(s.defaultSeed(), ids, w.transactions());
      long spacing = w.spacingTicks() == null ? 1 : w.spacingTicks();
      double rate = spacing == 0 ? 0 : 1000.0 / (spacing * options.tickMillis());
      return new LoadGenerator(clients, timeout).run(workload,
          Math.min(64, w.transactions()), rate, null);
    } finally {
      clients.forEach(BftlabClient::close);
    }
  }

  /** SIGCONT then SIGTERM every running node (their traces flush on a requested stop). */
  private void stopAll(ClusterLayout layout, NodeProcesses nodes) throws InterruptedException {
    for (int i = 0; i < layout.n(); i++) {
      if (nodes.isRunning(i)) {
        try {
          nodes.signal(i, "CONT");
        } catch (IOException e) {
          notes.add("node-" + i + ": SIGCONT failed: " + e.getMessage());
        }
        nodes.process(i).orElseThrow().destroy();
      }
    }
    for (int i = 0; i < layout.n(); i++) {
      var p = nodes.process(i);
      if (p.isPresent() && !p.get().waitFor(40, TimeUnit.SECONDS)) {
        notes.add("node-" + i + " did not stop within 40 s of SIGTERM: killed, its trace's "
            + "last lines may be missing");
      }
    }
  }

  /** {@code rules} (scenario network rules as JSON) shifted by {@code elapsedTicks}; healed ones gone. */
  static String shifted(JsonNode rules, long elapsedTicks) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (JsonNode r : rules) {
      ObjectNode c = ((ObjectNode) r).deepCopy();
      if (c.has("until")) {
        long until = c.get("until").asLong() - elapsedTicks;
        if (until <= 0) {
          continue;
        }
        c.put("until", until);
      }
      c.put("from", Math.max(0, c.path("from").asLong(0) - elapsedTicks));
      out.add(c);
    }
    return out.toString();
  }

  /** The tick of process fault {@code p}. */
  static long at(ProcessFaultSpec p) {
    if (p instanceof ProcessFaultSpec.Crash c) {
      return c.at();
    } else if (p instanceof ProcessFaultSpec.Restart r) {
      return r.at();
    } else if (p instanceof ProcessFaultSpec.Pause q) {
      return q.at();
    } else if (p instanceof ProcessFaultSpec.Amnesia a) {
      return a.at();
    } else if (p instanceof ProcessFaultSpec.Truncate t) {
      return t.at();
    }
    return ((ProcessFaultSpec.Corrupt) p).at();
  }
}
