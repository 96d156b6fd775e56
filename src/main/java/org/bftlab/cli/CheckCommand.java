package org.bftlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.bftlab.config.ConfigLoader;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Checkers;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.LiveRun;
import org.bftlab.trace.Trace;
import org.bftlab.trace.svg.DiagramWindow;
import org.bftlab.trace.svg.SequenceDiagram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab check --trace DIR…}: judges a live run by the simulator's checkers (one
 * implementation, {@link Checkers}) over the nodes' live traces merged ({@link LiveRun}); prints
 * the verdict ({@code --json}: the same verdict JSON as {@code sim}) and, with {@code --diagram},
 * draws the run. Exit 0 when no check failed, 1 when one did, 2 on bad input.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Judge a live run: the simulator's checkers over the nodes' merged traces "
        + "(bftlab.trace.enabled = on; <data-dir>/trace).")
public final class CheckCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--trace", paramLabel = "DIR", arity = "1..*", required = true,
      description = "Directories holding trace-NNNNNN.ndjson files (searched recursively), "
          + "e.g. every node's data directory.")
  List<Path> dirs;

  @Option(names = "--genesis", paramLabel = "FILE",
      description = "The cluster's genesis file (client and replica keys, for validity). "
          + "Default: the first genesis.json found in a --trace directory or above it.")
  Path genesis;

  @Option(names = "--tick", paramLabel = "DURATION",
      description = "One tick of the merged trace. Default: bftlab.tick.")
  String tick;

  @Option(names = "--liveness-bound", paramLabel = "DURATION", defaultValue = "60s",
      description = "Every submitted transaction must commit (f+1 replicas) within this after "
          + "max(its submission, the last restart). Default: ${DEFAULT-VALUE}.")
  String livenessBound;

  @Option(names = "--diagram", paramLabel = "FILE", description = "Write an SVG sequence diagram.")
  Path diagram;

  @Option(names = "--diagram-ticks", paramLabel = "A..B", defaultValue = "0..200",
      description = "Ticks the diagram shows. Default: ${DEFAULT-VALUE}.")
  String diagramTicks;

  @Option(names = "--json", description = "Print the verdict as JSON (as sim's).")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Duration t = tick == null ? ConfigLoader.defaults().resolve().getDuration("bftlab.tick")
          : DurationArg.parse("--tick", tick);
      long tickMs = Math.max(1, t.toMillis());
      long bound = DurationArg.parse("--liveness-bound", livenessBound).toMillis() / tickMs;
      Path g = genesis != null ? genesis : findGenesis(dirs);
      Trace trace = LiveRun.merge(dirs, tickMs, bound);
      Verdict v = Checkers.judge(trace,
          GenesisAuthenticator.forClientsAndReplicasOnly(Genesis.read(g)));
      if (diagram != null) {
        long[] r = SimCommand.range(diagramTicks, "--diagram-ticks");
        Files.writeString(diagram, SequenceDiagram.render(trace, DiagramWindow.ticks(r[0], r[1])),
            StandardCharsets.UTF_8);
      }
      if (json) {
        out.println(v.toJson());
      } else {
        print(out, v, trace, g);
      }
      out.flush();
      return v.passed() ? 0 : 1;
    } catch (IOException | IllegalArgumentException e) {
      err.println("check: " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private void print(PrintWriter out, Verdict v, Trace trace, Path g) {
    out.printf("live run: %d trace lines from %s (genesis %s, n = %d, f = %d)%n", trace.size(),
        dirs, g, v.n(), v.f());
    out.printf("verdict: %s (%s the fault model)%n", v.headline(), v.faultModel());
    for (CheckResult c : v.checks()) {
      out.printf("  %-22s %-8s %s%n", c.name(), c.status(),
          c.violations().isEmpty() ? "" : c.violations().get(0));
    }
  }

  /** genesis.json in a trace directory or one of its parents. */
  static Path findGenesis(List<Path> dirs) {
    for (Path d : dirs) {
      for (Path p = d.toAbsolutePath(); p != null; p = p.getParent()) {
        Path g = p.resolve(CryptoGen.GENESIS_FILE);
        if (Files.isRegularFile(g)) {
          return g;
        }
      }
    }
    throw new IllegalArgumentException("no " + CryptoGen.GENESIS_FILE + " in or above " + dirs
        + "; give --genesis FILE");
  }
}
