package org.bftlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bftlab.codec.Json;
import org.bftlab.config.ConfigLoader;
import org.bftlab.lab.NodeProcesses;
import org.bftlab.lab.ScenarioLab;
import org.bftlab.sim.check.Verdict;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.ScenarioException;
import org.bftlab.sim.scenario.ScenarioLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab lab --scenario FILE}: runs a scenario file, unchanged, against a real
 * multi-process cluster on this machine ({@link ScenarioLab}) and prints the same verdict table as
 * {@code sim} (one row: the live run; {@code --json}: sim's JSON document with the lab's fields).
 * Progress on stderr. Exit 0 when every expectation holds, 1 when one does not, 2 for a bad
 * scenario file, bad options or a step that cannot be done live (each named, with why).
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
    description = {"Runs a scenario file against a real multi-process cluster and judges it "
        + "with the simulator's checkers.",
        "Example: bftlab lab --scenario scenarios/crashed-primary.yaml"})
public final class LabCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scenario", paramLabel = "FILE", required = true,
      description = "Scenario file (YAML), as for sim.")
  Path scenario;

  @Option(names = "--nodes-dir", paramLabel = "DIR",
      description = "An existing cluster (genesis.json, node-i.conf, keys; empty data/node-i). "
          + "Default: a fresh cluster on free ports in the work directory.")
  Path nodesDir;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where the cluster, node logs and traces go (kept). Default: a new "
          + "temporary directory.")
  Path workDir;

  @Option(names = "--tick-ms", paramLabel = "MS",
      description = "Wall-clock length of one scenario tick (and of a generated cluster's node "
          + "tick). Default: 50 (a live message takes about as many ticks as a simulated one; "
          + "see ScenarioLab.DEFAULT_TICK_MILLIS).")
  long tickMillis = ScenarioLab.DEFAULT_TICK_MILLIS;

  @Option(names = "--liveness-bound", paramLabel = "DURATION",
      description = {"Every transaction must commit within this after max(its submission, the "
          + "last heal). Default: the scenario's withinTicks x --tick-ms.",
          "Live protocol time runs slower than the simulator's on a loaded machine."})
  String livenessBound;

  @Option(names = "--netns", description = {"Each node in its own network namespace (root, "
      + "iproute2, nftables), the scenario's partitions as nftables drop rules between them.",
      "Where namespaces cannot be made: says why and uses the admin API's transport rules."})
  boolean netns;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  /** The JSON document: sim's, plus what a live run adds. */
  record LabSummary(String scenario, String file, String mode, long tickMillis, long wallMillis,
      boolean passed, List<SimCommand.Row> runs, List<String> notes, String workDir,
      com.fasterxml.jackson.databind.JsonNode workload) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario s;
    ScenarioLab.Options options;
    try {
      s = ScenarioLoader.load(scenario);
      // a generated cluster's node tick is --tick-ms; an existing one's is in its node-0.conf
      long nodeTick = nodesDir == null ? tickMillis : ConfigLoader.load(nodesDir.resolve(
          "node-0.conf")).getDuration("bftlab.tick").toMillis();
      List<String> refused = ScenarioLab.unsupported(s, tickMillis, nodeTick);
      if (!refused.isEmpty()) {
        err.println("lab: " + s.name() + " cannot run live:");
        refused.forEach(r -> err.println("  " + r));
        err.flush();
        return 2;
      }
      Path jar = NodeProcesses.ownJar().orElseThrow(() -> new IllegalArgumentException(
          "lab starts the nodes from the bftlab jar; run it through ./bftlab"));
      Path dir = workDir != null ? workDir : Files.createTempDirectory("bftlab-lab-" + s.name()
          + "-");
      options = new ScenarioLab.Options(scenario, s, dir, nodesDir, tickMillis, jar,
          nodeJvmArgs(jar), livenessBound == null ? null
              : DurationArg.parse("--liveness-bound", livenessBound), java.util.Set.of(), netns);
    } catch (ScenarioException | IllegalArgumentException | IOException e) {
      err.println("lab: " + e.getMessage());
      err.flush();
      return 2;
    }
    ScenarioLab.Outcome o;
    try {
      o = new ScenarioLab(options, new PrintStream(System.err, true)).run();
    } catch (IllegalArgumentException e) {
      err.println("lab: " + e.getMessage());
      err.flush();
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("lab: the live run failed: " + e.getMessage() + " (logs in "
          + options.workDir().resolve("logs") + ")");
      err.flush();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    Verdict v = o.verdict();
    List<SimCommand.Row> rows = List.of(new SimCommand.Row(s.defaultSeed(), v.headline(),
        v.faultModel(), v.faultyNodes(), v.crashRecovered(), o.holds(), o.expectations(), v));
    if (json) {
      try {
        out.println(Json.mapper().writeValueAsString(new LabSummary(s.name(),
            scenario.toString(), "live", tickMillis, o.wallMillis(), o.holds(), rows, o.notes(),
            options.workDir().toString(), Json.mapper().readTree(o.workload().toJson()))));
      } catch (JsonProcessingException e) {
        err.println("lab: " + e.getMessage());
        return 1;
      }
    } else {
      out.printf("live run: %d nodes, 1 tick = %d ms, %d ms wall, %s%n", v.n(), tickMillis,
          o.wallMillis(), "client: " + o.workload().committed() + " of "
          + o.workload().transactions() + " transactions confirmed (f+1), "
          + o.workload().timedOut() + " given up after 2 x the scenario's client retry (the "
          + "traces' liveness check judges whether they committed)");
      SimCommand.table(out, s.name(), scenario.toString(), rows, o.holds());
      o.notes().forEach(n -> out.println("note: " + n));
      out.println("traces, logs: " + options.workDir() + "  (bftlab check --trace "
          + options.workDir() + " --diagram run.svg)");
    }
    out.flush();
    return o.holds() ? 0 : 1;
  }

  /** A fixed small heap, serial GC, and the launcher's class-data archive when there is one. */
  static List<String> nodeJvmArgs(Path jar) {
    List<String> args = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC"));
    Path jsa = jar.toAbsolutePath().getParent().resolve("bftlab-app.jsa");
    if (Files.isRegularFile(jsa)) {
      args.add("-XX:SharedArchiveFile=" + jsa);
      args.add("-Xshare:auto");
    }
    return args;
  }
}
