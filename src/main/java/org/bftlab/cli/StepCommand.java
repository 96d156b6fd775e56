package org.bftlab.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bftlab.sim.scenario.ScenarioException;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.bftlab.step.StepConfig;
import org.bftlab.step.StepRepl;
import org.bftlab.step.StepServer;
import org.bftlab.step.Stepper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bftlab step}: the students' stepper (issue 11). Without a scenario it opens the normal
 * case with n = 4 and one client request (OSDI'99 Figure 1). {@code --tui} is a line REPL on
 * stdin/stdout; otherwise a page on 127.0.0.1 (WebSocket) until Ctrl-C. Exit 2 for an unreadable
 * scenario or schedule, 1 if the port cannot be bound.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
    description = "Step through a PBFT run one message at a time (terminal or browser).")
public final class StepCommand implements Callable<Integer> {
  @Option(names = "--scenario", paramLabel = "FILE",
      description = "Scenario YAML (its cluster size and workload); default: the normal case, "
          + "n = 4, one request.")
  Path scenario;

  @Option(names = "--seed", paramLabel = "S", description = "Seed (default: the scenario's, or 1).")
  Long seed;

  @Option(names = "--schedule", paramLabel = "FILE",
      description = "Load a schedule saved by 'save' and replay it.")
  Path schedule;

  @Option(names = "--tui", description = "Terminal mode: a line REPL ('help' lists commands).")
  boolean tui;

  @Option(names = "--port", paramLabel = "P", defaultValue = "8090",
      description = "Port of the page on 127.0.0.1 (default 8090; 0: any free port).")
  int port;

  @Option(names = "--no-browser", description = "Do not try to open a browser.")
  boolean noBrowser;

  InputStream in = System.in;
  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    Stepper stepper;
    try {
      stepper = schedule != null ? Stepper.load(schedule)
          : new Stepper(scenario == null ? StepConfig.normalCase(seed == null ? 1 : seed)
              : StepConfig.fromScenario(ScenarioLoader.load(scenario), seed));
    } catch (ScenarioException | IllegalArgumentException | java.io.IOException e) {
      System.err.println("bftlab step: " + e.getMessage());
      return 2;
    }
    if (tui) {
      new StepRepl(stepper, out).run(new BufferedReader(new InputStreamReader(in,
          StandardCharsets.UTF_8)));
      return 0;
    }
    StepServer server;
    try {
      server = StepServer.start(stepper, port);
    } catch (IllegalStateException e) {
      System.err.println("bftlab step: " + e.getMessage());
      return 1;
    }
    out.println("bftlab step: open " + server.url() + "  (Ctrl-C stops)");
    if (!noBrowser) {
      openBrowser(server.url());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }, "step-shutdown"));
    stop.await();
    return 0;
  }

  private void openBrowser(String url) {
    try {
      new ProcessBuilder("xdg-open", url).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (java.io.IOException e) {
      out.println("(no browser opened: " + e.getMessage() + ")");
    }
  }
}
