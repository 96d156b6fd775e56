package org.bftlab.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.bftlab.bench.Bench;
import org.bftlab.bench.BenchReport;
import org.bftlab.codec.Json;
import org.bftlab.lab.LabFiles;
import org.bftlab.lab.NodeProcesses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bftlab bench}: n replica processes on loopback and this process as a closed-loop load;
 * per measured window throughput, latency percentiles and the cost of one committed transaction
 * (replica and client CPU, HTTP requests, bytes written, transactions per block, heap after GC).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark a local multi-process cluster: warm-up, then measured windows.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "4", description = "Replicas, n = 3f+1 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--concurrency", defaultValue = "64", description = "Transactions in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--clients", defaultValue = "4", description = "Signing client identities (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--warmup", defaultValue = "120s", description = "Load before the first window, e.g. 120s, 2m (default ${DEFAULT-VALUE}).")
  String warmup;

  @Option(names = "--window", defaultValue = "60s", description = "Length of one measured window (default ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--windows", defaultValue = "3", description = "Measured windows (default ${DEFAULT-VALUE}).")
  int windows;

  @Option(names = "--duration", description = "Measure for this long in 1-minute windows instead of --window/--windows, e.g. 10m (memory flatness).")
  String duration;

  @Option(names = "--data-dir", defaultValue = "data/bench", description = "Keys, journals, logs (default ${DEFAULT-VALUE}; emptied first).")
  Path dataDir;

  @Option(names = "--keep-data", description = "Keep the data directory afterwards.")
  boolean keepData;

  @Option(names = "--replica-jvm-arg", description = "One more JVM option for every replica "
      + "(repeatable), e.g. -Dbftlab.verified-requests=0.")
  java.util.List<String> replicaJvmArgs = new java.util.ArrayList<>();

  @Option(names = "--replies", defaultValue = "push", description = "How clients learn outcomes:"
      + " push (signed REPLYs over a WebSocket per node) or poll (GET /transactions on every"
      + " node); default ${DEFAULT-VALUE}.")
  String replies;

  @Option(names = "--keys", defaultValue = "10000", description = "Distinct keys the puts cycle"
      + " over (default ${DEFAULT-VALUE}); 0 writes a new key per transaction, so the in-memory"
      + " world state grows with the load.")
  int keys;

  @Option(names = "--json", description = "Print the report as one JSON object on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Duration warm;
    Duration win;
    int count = windows;
    try {
      warm = DurationArg.parse("--warmup", warmup);
      win = DurationArg.parse("--window", window);
      if (duration != null) {
        Duration total = DurationArg.parse("--duration", duration);
        win = Duration.ofMinutes(1);
        count = (int) Math.max(1, total.toMinutes());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bftlab bench: " + e.getMessage());
      return 2;
    }
    Path jar = NodeProcesses.ownJar().orElse(null);
    if (jar == null) {
      System.err.println("bftlab bench: run it from the shaded jar (./bftlab bench): the replicas "
          + "are started from it");
      return 2;
    }
    LabFiles.deleteTree(dataDir);
    Files.createDirectories(dataDir);
    Path dir = dataDir.toAbsolutePath();
    Bench.Options o;
    try {
      o = new Bench.Options(nodes, concurrency, clients, warm, win, count, dir, jar,
          java.util.stream.Stream.concat(Bench.defaultJvmArgs(dir).stream(),
              replicaJvmArgs.stream()).toList(), !"poll".equals(replies), keys);
      if (!List.of("push", "poll").contains(replies)) {
        throw new IllegalArgumentException("--replies must be push or poll, got " + replies);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bftlab bench: " + e.getMessage());
      return 2;
    }
    BenchReport report;
    try {
      report = new Bench(o, json ? System.err : System.out).run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("bftlab bench: " + e.getMessage());
      return 1;
    } finally {
      if (!keepData) {
        LabFiles.deleteTree(dataDir);
      }
    }
    if (json) {
      System.out.println(Json.mapper().copy().disable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(report));
    } else {
      report.printTable(System.out);
    }
    return 0;
  }
}
