package org.bftlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.ReplyVerifier;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.lab.ClusterLayout;
import org.bftlab.lab.FileWrites;
import org.bftlab.lab.GcLog;
import org.bftlab.lab.NodeProcesses;
import org.bftlab.lab.ProcReadings;

/**
 * Runs one benchmark: a fresh n-replica cluster as separate processes on loopback, this process
 * as the load (closed loop: {@code concurrency} transactions always in flight, each a signed
 * {@code kv put} confirmed by f+1 matching replies, the next submitted as one completes), a
 * warm-up, then {@code windows} measured windows. The puts cycle over {@code keys} keys, as
 * BFT-SMaRt's and YCSB's key-value benchmarks use a fixed record count: the world state is
 * held in memory and grows with the keys, while the chain and its transaction index are on disk.
 */
public final class Bench {
  private static final ObjectMapper JSON = Json.mapper();

  /**
   * What to run.
   *
   * @param nodes n = 3f+1 >= 4
   * @param concurrency transactions in flight, >= 1
   * @param clients client identities the load is spread over, >= 1
   * @param warmup load before the first window
   * @param window length of one measured window, > 0
   * @param windows measured windows, >= 1
   * @param dir directory for the cluster's keys, configs, journals and logs (created)
   * @param jar the shaded bftlab jar the replicas run
   * @param replicaJvmArgs JVM options of each replica ({@code {i}} is replaced by its index)
   * @param pushReplies clients take outcomes by push (the default) or poll every node
   * @param keys distinct keys the puts cycle over, >= 1; 0 for a new key per transaction (a
   *     world state that grows with the load)
   */
  public record Options(int nodes, int concurrency, int clients, Duration warmup, Duration window,
      int windows, Path dir, Path jar, List<String> replicaJvmArgs, boolean pushReplies,
      int keys) {
    public Options {
      if (concurrency < 1 || clients < 1 || windows < 1) {
        throw new IllegalArgumentException("concurrency, clients and windows must be >= 1");
      }
      if (keys < 0) {
        throw new IllegalArgumentException("keys must be >= 0 (0: a new key per transaction), got "
            + keys);
      }
      if (window.isZero() || window.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException("window must be > 0 and warm-up >= 0");
      }
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(jar, "jar");
      replicaJvmArgs = List.copyOf(replicaJvmArgs);
    }
  }

  private final Options options;
  private final PrintStream progress;

  /** A bench that prints progress lines to {@code progress}. */
  public Bench(Options options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Default replica JVM options: a fixed heap, serial GC, a GC log per replica in {@code dir}. */
  public static List<String> defaultJvmArgs(Path dir) {
    return List.of("-Xms512m", "-Xmx512m", "-XX:+UseSerialGC",
        GcLog.option(dir.resolve("gc-node-{i}.log")));
  }

  /**
   * Runs the benchmark; every process it started is killed before it returns.
   *
   * @throws IOException when the cluster cannot be generated or started
   */
  public BenchReport run() throws IOException, InterruptedException {
    ClusterLayout layout = ClusterLayout.generate(options.dir(), new ClusterLayout.Spec(
        "bench", options.nodes(), options.clients(), i -> "127.0.0.1", 0, 0, ""));
    CountingHttpClient http = new CountingHttpClient(
        BftlabClient.newHttpClient(Duration.ofSeconds(5)));
    ScheduledExecutorService scheduler = BftlabClient.newScheduler();
    FileWrites files = fileWrites(layout);
    files.sampleEvery(scheduler, FILE_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    List<BftlabClient> clients = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger inFlight = new AtomicInteger();
    try (NodeProcesses nodes = new NodeProcesses(layout, options.jar(), options.dir(), "bench",
        options.replicaJvmArgs(), List.of())) {
      try {
        for (int i = 0; i < layout.n(); i++) {
          nodes.start(i);
        }
        awaitUp(layout, http);
        progress.printf("%d replicas up (pids %s); warm-up %d s%n", layout.n(),
            Stream.iterate(0, i -> i + 1).limit(layout.n()).map(nodes::pid).toList(),
            options.warmup().toSeconds());
        ReplyVerifier replies = ReplyVerifier.fromGenesis(layout.genesis());
        for (int j = 0; j < options.clients(); j++) {
          Ed25519.SigningKey key = Ed25519.signingKey(KeyFiles.readPrivateKey(layout.clientKey(j)));
          clients.add(new BftlabClient(layout.genesis().clusterId(), new ClientId("client-" + j),
              key::sign, layout.urls(), layout.f(), Duration.ofSeconds(30),
              BftlabClient.Options.defaults().withHttpClient(http).withReplyVerifier(replies)
                  .withPushGrace(options.pushReplies() ? BftlabClient.DEFAULT_PUSH_GRACE
                      : Duration.ZERO)));
        }
        long socketsBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (BftlabClient c : clients) {
          // start on the reply sockets: n JVMs that are still starting may refuse the first
          // handshakes, and the load would POST and poll until a retry got through
          Duration left = Duration.ofNanos(Math.max(0, socketsBy - System.nanoTime()));
          if (options.pushReplies() && !c.awaitRepliesByPush(left)) {
            progress.printf("%s: reply sockets not open within 60 s; it polls until they are%n",
                c.clientId());
          }
        }
        AtomicReference<WindowTally> tally = new AtomicReference<>(new WindowTally());
        AtomicLong seq = new AtomicLong();
        for (int w = 0; w < options.concurrency(); w++) {
          loop(clients.get(w % clients.size()), seq, tally, stop, inFlight);
        }
        pause(options.warmup());
        List<BenchWindow> windows = new ArrayList<>();
        for (int k = 1; k <= options.windows(); k++) {
          long sampleFailures = files.failures();
          Snapshot before = snapshot(layout, nodes, http, files);
          WindowTally t = new WindowTally();
          tally.set(t);
          pause(options.window());
          tally.set(new WindowTally());
          Snapshot after = snapshot(layout, nodes, http, files);
          BenchWindow bw = window(k, layout, t, before, after, liveHeaps(layout, nodes));
          windows.add(bw);
          if (files.failures() > sampleFailures) {
            progress.printf("window %d: %d samples of the data directories failed (last: %s);"
                + " its per-directory bytes miss files deleted meanwhile%n", k,
                files.failures() - sampleFailures, files.lastFailure().orElse("?"));
          }
          progress.printf("window %d: %.1f tx/s, p50 %.1f ms, replica %.0f µs/tx,"
              + " client %.0f µs/tx%n", k, bw.throughput(), bw.p50Ms(),
              bw.replicaCpuMicrosPerTx(), bw.clientCpuMicrosPerTx());
        }
        return new BenchReport(layout.n(), layout.f(), options.concurrency(),
            options.warmup().toSeconds(), windows);
      } finally {
        // drain while the replicas still run: let outstanding requests finish, so that no
        // client waits out its timeout on a replica already gone
        stop.set(true);
        try {
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (inFlight.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();  // stop draining; the replicas are killed next
        } finally {
          clients.forEach(BftlabClient::close);
        }
      }
    } finally {
      scheduler.shutdownNow();
    }
  }

  /** Submits the worker's next transaction whenever its previous one completes. */
  private void loop(BftlabClient client, AtomicLong seq, AtomicReference<WindowTally> tally,
      AtomicBoolean stop, AtomicInteger inFlight) {
    if (stop.get()) {
      return;
    }
    long n = seq.getAndIncrement();
    Request r = client.newRequest("kv", "put",
        "bench-" + (options.keys() == 0 ? n : n % options.keys()), "v");
    long t0 = System.nanoTime();
    inFlight.incrementAndGet();
    client.submitAndAwait(r, Duration.ofSeconds(30)).whenComplete((tx, err) -> {
      inFlight.decrementAndGet();
      WindowTally t = tally.get();
      if (err == null) {
        t.committed((System.nanoTime() - t0) / 1000);
      } else {
        t.failed();
      }
      loop(client, seq, tally, stop, inFlight);
    });
  }

  private record Snapshot(long nanos, List<ProcReadings> replicas, ProcReadings self,
      long httpRequests, long height, Map<String, Long> metrics, Map<String, Long> files) {}

  /** How often the replicas' data directories are listed for {@link FileWrites}. */
  private static final long FILE_SAMPLE_MILLIS = 250;

  /**
   * The replicas' data directories by what they hold: the LevelDB journal, the block store's
   * blocks and its transaction index (each its own LevelDB), and the snapshots.
   */
  private static FileWrites fileWrites(ClusterLayout layout) {
    Map<String, List<Path>> dirs = new LinkedHashMap<>();
    dirs.put("journal", new ArrayList<>());
    dirs.put("blocks", new ArrayList<>());
    dirs.put("index", new ArrayList<>());
    dirs.put("snapshots", new ArrayList<>());
    for (int i = 0; i < layout.n(); i++) {
      Path data = layout.dataDir(i);
      dirs.get("journal").add(data.resolve("journal"));
      dirs.get("blocks").add(data.resolve("blocks"));
      dirs.get("index").add(data.resolve("blocks").resolve("tx-index"));
      dirs.get("snapshots").add(data.resolve("snapshots"));
    }
    return new FileWrites(dirs);
  }

  /**
   * Each replica's live heap in MiB: forces a full collection ({@code jcmd <pid> GC.run}, which
   * returns when it is done) and reads its result from the replica's GC log; up to three tries
   * (an attach to a busy JVM sometimes fails); −1 where all fail.
   */
  private List<Double> liveHeaps(ClusterLayout layout, NodeProcesses nodes)
      throws IOException, InterruptedException {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < layout.n(); i++) {
      double mb = -1;
      for (int attempt = 0; attempt < 3 && mb < 0; attempt++) {
        mb = liveHeap(options.dir().resolve("gc-node-" + i + ".log"), nodes.pid(i));
      }
      out.add(mb);
    }
    return out;
  }

  /** One try of {@link #liveHeaps} for one replica: MiB, or −1. */
  private static double liveHeap(Path log, long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!java.nio.file.Files.isExecutable(jcmd)) {
      return -1;
    }
    long fullGcs = GcLog.fullCollections(log);
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)) {
      p.destroyForcibly();
      return -1;
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (GcLog.fullCollections(log) <= fullGcs && System.nanoTime() < end) {
      Thread.sleep(20); // the log line may reach the file a moment after jcmd returns
    }
    OptionalLong h = GcLog.lastHeapAfterFullGc(log);
    return GcLog.fullCollections(log) > fullGcs && h.isPresent()
        ? h.getAsLong() / 1048576.0 : -1;
  }

  private Snapshot snapshot(ClusterLayout layout, NodeProcesses nodes, CountingHttpClient http,
      FileWrites files) throws IOException {
    Map<String, Long> fileTotals = files.trySample();  // the window's edge
    List<ProcReadings> replicas = new ArrayList<>();
    for (int i = 0; i < layout.n(); i++) {
      replicas.add(ProcReadings.of(nodes.pid(i)));
    }
    long requests = http.requests();
    long height = status(layout.url(0), http).map(NodeStatus::height).orElse(-1L);
    Map<String, Long> metrics = new HashMap<>();
    for (int i = 0; i < layout.n(); i++) {
      metrics(layout.url(i), http).forEach((k, v) -> metrics.merge(k, v, Long::sum));
    }
    return new Snapshot(System.nanoTime(), replicas, ProcReadings.of(ProcessHandle.current().pid()),
        requests, height, metrics, fileTotals);
  }

  private static BenchWindow window(int k, ClusterLayout layout, WindowTally t, Snapshot a,
      Snapshot b, List<Double> liveHeapMb) {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    long committed = t.committed();
    double per = Math.max(1, committed);
    long replicaCpu = 0;
    long written = 0;
    for (int i = 0; i < layout.n(); i++) {
      ProcReadings d = b.replicas().get(i).minus(a.replicas().get(i));
      replicaCpu += d.cpuNanos();
      written += d.storageWriteBytes();
    }
    Map<String, Double> fileBytes = new LinkedHashMap<>();
    b.files().forEach((name, n) -> fileBytes.put(name,
        (n - a.files().getOrDefault(name, 0L)) / per / layout.n()));
    ProcReadings self = b.self().minus(a.self());
    long blocks = b.height() - a.height();
    return new BenchWindow(k, seconds, committed, t.failedCount(), committed / seconds,
        t.percentileMs(50), t.percentileMs(90), t.percentileMs(99), t.maxMs(),
        replicaCpu / 1000.0 / per, self.cpuNanos() / 1000.0 / per,
        blocks > 0 ? committed / (double) blocks : 0,
        (b.httpRequests() - a.httpRequests()) / per, written / per / layout.n(),
        liveHeapMb, perTx(a, b, "signatures", per),
        perTx(a, b, "replicaVerifications", per), perTx(a, b, "clientVerifications", per),
        perTx(a, b, "journalWrites", per), fileBytes);
  }

  /** Growth of the replicas' summed counter {@code name} per tx; −1 when not reported. */
  private static double perTx(Snapshot a, Snapshot b, String name, double per) {
    Long x = a.metrics().get(name);
    Long y = b.metrics().get(name);
    return x == null || y == null ? -1 : (y - x) / per;
  }

  private static void awaitUp(ClusterLayout layout, HttpClient http) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    for (int i = 0; i < layout.n(); i++) {
      while (status(layout.url(i), http).isEmpty()) {
        if (System.nanoTime() > end) {
          throw new IllegalStateException("node-" + i + " did not answer /status within 3 min; "
              + "see its log in the bench directory");
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * The signature and journal-write counters of one replica's {@code GET /metrics} (Prometheus
   * text), under the
   * names {@link #perTx} reads; empty when it does not answer.
   */
  private static Map<String, Long> metrics(URI node, HttpClient http) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return Map.of();
      }
      var text = org.bftlab.metrics.PrometheusText.parse(r.body());
      Map<String, Long> out = new HashMap<>();
      out.put("signatures", (long) text.value("crypto_signatures_total"));
      out.put("replicaVerifications",
          (long) text.value("crypto_verifications_total", "signer", "replica"));
      out.put("clientVerifications",
          (long) text.value("crypto_verifications_total", "signer", "client"));
      out.put("journalWrites", (long) text.value("journal_persist_seconds_count"));
      return out;
    } catch (IOException | IllegalArgumentException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  private static Optional<NodeStatus> status(URI node, HttpClient http) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node + "/status"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(JSON.readValue(r.body(),
          NodeStatus.class)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static void pause(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());  // the benchmark's own pacing (warm-up, window length)
  }
}
