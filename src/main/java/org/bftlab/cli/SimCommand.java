package org.bftlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bftlab.codec.Json;
import org.bftlab.sim.check.Verdict;
import org.bftlab.sim.scenario.ExpectationResult;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.ScenarioException;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.bftlab.sim.scenario.ScenarioOutcome;
import org.bftlab.sim.scenario.ScenarioRunner;
import org.bftlab.trace.svg.DiagramWindow;
import org.bftlab.trace.svg.SequenceDiagram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab sim}: runs a scenario file in the deterministic simulator for one seed or a
 * range of seeds and judges its expectations. Progress on stderr; a table (seed, verdict, checks,
 * faults) or, with {@code --json}, one JSON document on stdout. The verdict never says {@code
 * live} for a run whose liveness was not judged (beyond the fault model): it says {@code safe,
 * liveness not judged (why)}, and the JSON has {@code "live": null, "liveness": "not-judged"}. Exit 0 when every expectation
 * holds for every seed, 1 when one does not, 2 for a bad scenario file or bad options.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {"Runs a scenario in the deterministic simulator and checks its expectations.",
        "Example: bftlab sim --scenario scenarios/equivocating-primary.yaml --seeds 1..20"})
public final class SimCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scenario", paramLabel = "FILE",
      description = "Scenario file (YAML); this or --schedule.")
  Path scenario;

  @Option(names = "--schedule", paramLabel = "FILE",
      description = {"Replay a schedule saved by 'bftlab step' (its seed and recorded choices) "
          + "on the same cores and judge it; prints the verdict and every replica's chain head."})
  Path schedule;

  @Option(names = "--seed", paramLabel = "S",
      description = "Run this seed (default: the scenario's seed).")
  Long seed;

  @Option(names = "--seeds", paramLabel = "A..B",
      description = "Run every seed from A to B, both inclusive.")
  String seeds;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Write the NDJSON trace of the first seed run.")
  Path trace;

  @Option(names = "--diagram", paramLabel = "FILE",
      description = "Write an SVG sequence diagram of the first seed run.")
  Path diagram;

  @Option(names = "--window", paramLabel = "seq=A..B|tick=A..B",
      description = {"Part of the run the diagram shows: seqNos (seq=3..9), ticks "
          + "(tick=100..400) or both (seq=3..9,tick=100..400). Default: the whole run."})
  String diagramWindow;

  @Option(names = "--diagram-ticks", paramLabel = "A..B",
      description = "Ticks the diagram shows (as --window tick=A..B; default: all).")
  String diagramTicks;

  @Option(names = "--diagram-seqnos", paramLabel = "A..B",
      description = "SeqNos the diagram shows (default: all).")
  String diagramSeqNos;

  @Option(names = "--json", description = "Print the summary as JSON.")
  boolean json;

  /**
   * One seed's row. {@code verdict} is {@link Verdict#headline()}: {@code safe, live}, {@code
   * safe, NOT live}, {@code safe, liveness not judged (why)} or the same with {@code UNSAFE} —
   * never {@code live} when liveness was not judged.
   */
  record Row(long seed, String verdict, String faultModel, List<String> faultyNodes,
      List<String> crashRecovered, boolean holds,
      List<ExpectationResult> expectations, Verdict checks) {}

  /** The JSON document. */
  record Summary(String scenario, String file, boolean passed, List<Row> runs) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((schedule == null) == (scenario == null)) {
      err.println("sim: give either --scenario FILE or --schedule FILE");
      err.flush();
      return 2;
    }
    if (schedule != null) {
      return ScheduleReplay.run(schedule, json, out, err);
    }
    Scenario s;
    long[] range;
    DiagramWindow window;
    try {
      s = ScenarioLoader.load(scenario);
      range = seeds != null ? range(seeds, "--seeds")
          : new long[] {seed != null ? seed : s.defaultSeed(), seed != null ? seed
              : s.defaultSeed()};
      window = diagramWindow != null ? DiagramWindow.parse(diagramWindow) : DiagramWindow.ALL;
      if (diagramTicks != null) {
        long[] t = range(diagramTicks, "--diagram-ticks");
        window = new DiagramWindow(t[0], t[1], window.minSeqNo(), window.maxSeqNo());
      }
      if (diagramSeqNos != null) {
        long[] q = range(diagramSeqNos, "--diagram-seqnos");
        window = window.seqNos(q[0], q[1]);
      }
    } catch (ScenarioException | IllegalArgumentException e) {
      err.println("sim: " + e.getMessage());
      err.flush();
      return 2;
    }
    List<Row> rows = new ArrayList<>();
    boolean all = true;
    long total = range[1] - range[0] + 1;
    for (long sd = range[0]; sd <= range[1]; sd++) {
      ScenarioOutcome o = ScenarioRunner.run(s, sd);
      if (sd == range[0] && !write(o, window, err)) {
        return 1;
      }
      Verdict v = o.verdict();
      rows.add(new Row(sd, v.headline(), v.faultModel(), v.faultyNodes(), v.crashRecovered(),
          o.holds(), o.expectations(), v));
      all &= o.holds();
      err.printf("\r%s: seed %d (%d/%d) %s", s.name(), sd, sd - range[0] + 1, total,
          o.holds() ? "ok" : "EXPECTATION FAILED");
      err.flush();
    }
    err.println();
    err.flush();
    if (json) {
      try {
        out.println(Json.mapper().writeValueAsString(new Summary(s.name(), scenario.toString(),
            all, rows)));
      } catch (JsonProcessingException e) {
        err.println("sim: " + e.getMessage());
        return 1;
      }
    } else {
      table(out, s.name(), scenario.toString(), rows, all);
    }
    out.flush();
    return all ? 0 : 1;
  }

  /** The verdict table: one row per run (sim: per seed; lab: the live run). */
  static void table(PrintWriter out, String name, String file, List<Row> rows, boolean all) {
    out.printf("scenario %s (%s)%n", name, file);
    int width = 15;
    int faultsWidth = 22;
    for (Row r : rows) {
      width = Math.max(width, verdictCell(r).length());
      faultsWidth = Math.max(faultsWidth, faultsCell(r).length());
    }
    String format = "%-8s %-" + width + "s %-8s %-" + faultsWidth + "s %s%n";
    out.printf(format, "seed", "verdict", "model", "faults", "expectations");
    for (Row r : rows) {
      StringBuilder ex = new StringBuilder();
      for (ExpectationResult e : r.expectations()) {
        ex.append(ex.length() == 0 ? "" : ", ").append(e.name()).append(e.holds() ? " ok"
            : " FAILED (" + e.detail() + ")");
      }
      out.printf(format, r.seed(), verdictCell(r), r.faultModel(), faultsCell(r), ex);
    }
    out.println(all ? "every expectation holds for every seed"
        : "some expectation does not hold");
  }

  /** The verdict, with the number of failed checks. */
  private static String verdictCell(Row r) {
    long failed = r.checks().checks().stream().filter(c -> !c.ok()).count();
    return r.verdict() + (failed > 0 ? " [" + failed + " checks]" : "");
  }

  /** Faulty nodes, then correct crash-recovered ones marked {@code (restarted)}. */
  private static String faultsCell(Row r) {
    List<String> cells = new ArrayList<>(r.faultyNodes());
    r.crashRecovered().forEach(n -> cells.add(n + "(restarted)"));
    return cells.isEmpty() ? "-" : String.join(",", cells);
  }

  private boolean write(ScenarioOutcome o, DiagramWindow window, PrintWriter err) {
    try {
      if (trace != null) {
        try (OutputStream os = Files.newOutputStream(trace)) {
          o.result().trace().write(os);
        }
      }
      if (diagram != null) {
        Files.writeString(diagram, SequenceDiagram.render(o.result().trace(), window),
            StandardCharsets.UTF_8);
      }
      return true;
    } catch (IOException e) {
      err.println("sim: cannot write: " + e);
      err.flush();
      return false;
    }
  }

  /** {@code A..B} (or a single number) as [A, B]. */
  static long[] range(String text, String option) {
    String[] parts = text.trim().split("\\.\\.", -1);
    try {
      long a = Long.parseLong(parts[0].trim());
      long b = parts.length == 1 ? a : Long.parseLong(parts[1].trim());
      if (parts.length > 2 || b < a) {
        throw new NumberFormatException();
      }
      return new long[] {a, b};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be A..B with A <= B, got '" + text + "'");
    }
  }
}
