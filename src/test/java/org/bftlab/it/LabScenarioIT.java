package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.it.support.ProcessCluster;
import org.bftlab.lab.LabFiles;
import org.bftlab.lab.ScenarioLab;
import org.bftlab.sim.check.Verdict;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.bftlab.sim.scenario.ScenarioOutcome;
import org.bftlab.sim.scenario.ScenarioRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bftlab lab} on a real 4-process cluster (fresh keys, free ports, a temp directory): a
 * scenario with a crashed primary over a lossy network, run live (SIGKILL by pid, network rules
 * through the signed admin API, the workload through the real client) and in the simulator, both
 * judged by the same checkers ({@code Checkers}) — each must be {@code safe, live} within the
 * fault model with node-0 the one faulty replica. Every node process is killed by pid when the
 * run ends ({@link ScenarioLab} closes its {@code NodeProcesses} in a finally block).
 */
class LabScenarioIT {
  private static final Path SCENARIO = Path.of("src/test/resources/lab/crashed-primary-lossy.yaml");
  private Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    if (dir != null) {
      LabFiles.deleteTree(dir);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void crashedPrimaryOverALossyNetworkIsSafeAndLiveInTheSimulatorAndLive() throws Exception {
    Scenario s = ScenarioLoader.load(SCENARIO);
    System.out.println("LabScenarioIT: scenario " + s.name() + ", seed " + s.defaultSeed());
    ScenarioOutcome sim = ScenarioRunner.run(s, s.defaultSeed());
    assertThat(sim.verdict().headline()).as(sim.verdict().summary()).isEqualTo("safe, live");

    dir = Files.createTempDirectory("bftlab-lab-it-");
    long t0 = System.nanoTime();
    ScenarioLab.Outcome live = new ScenarioLab(new ScenarioLab.Options(SCENARIO, s, dir, null,
        ScenarioLab.DEFAULT_TICK_MILLIS, ProcessCluster.JAR, List.of("-Xmx384m", "-XX:+UseSerialGC"), null), System.out).run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Verdict v = live.verdict();
    System.out.printf("LabScenarioIT: live %s (%s), %d ms wall, notes %s%n", v.headline(),
        v.summary(), ms, live.notes());
    assertThat(v.headline()).as(v.summary()).isEqualTo("safe, live");
    assertThat(v.faultModel()).isEqualTo("within");
    assertThat(v.faultyNodes()).containsExactly("node-0");
    assertThat(live.holds()).as(live.expectations().toString()).isTrue();
    // every transaction submitted; that each committed (f+1, within its bound) is the trace's
    // liveness check above: the client gives up at twice the scenario's retry (ScenarioLab)
    assertThat(live.workload().submitted()).isEqualTo((long) s.workload().transactions());
    assertThat(v.checks()).extracting(c -> c.name()).isEqualTo(sim.verdict().checks().stream()
        .map(c -> c.name()).toList());
    assertThat(live.notes()).isEmpty();
  }
}
