package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bftlab.core.PlantedBug;
import org.bftlab.it.support.ProcessCluster;
import org.bftlab.lab.LabFiles;
import org.bftlab.lab.ScenarioLab;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Verdict;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.bftlab.sim.scenario.ScenarioOutcome;
import org.bftlab.sim.scenario.ScenarioRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live negative control (issue 12): a real 4-process cluster whose nodes all run with the
 * planted bug {@link PlantedBug#COMMIT_QUORUM_2F} ({@code bftlab node --planted-bug}, gated by
 * {@code BFTLAB_TEST_PLANTED_BUGS=1}) and an equivocating Byzantine primary
 * ({@code src/test/resources/lab/planted-commit-quorum.yaml}, where the schedule is explained)
 * must end unsafe — the trace checkers ({@code Checkers}, as {@code bftlab check}) find two
 * correct replicas that committed different batches — within the fault model (node-0 the one
 * faulty replica). The same scenario without the bug is safe in the simulator, so the violation
 * is the bug's and not the schedule's. One tick = 100 ms: node-1 must commit on 2f COMMITs
 * before tick 60 (cold JVMs take a few seconds for the first commit), and the view-change timer
 * (80 ticks) must not fire before.
 */
class LabPlantedBugIT {
  private static final Path SCENARIO = Path.of("src/test/resources/lab/planted-commit-quorum.yaml");
  private Path dir;

  @AfterEach
  void cleanUp() throws Exception {
    if (dir != null) {
      LabFiles.deleteTree(dir);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void commitQuorumOf2fWithAnEquivocatingPrimaryIsCaughtLive() throws Exception {
    Scenario s = ScenarioLoader.load(SCENARIO);
    ScenarioOutcome sim = ScenarioRunner.run(s, s.defaultSeed());
    assertThat(sim.verdict().safe()).as("without the bug, in the simulator: %s",
        sim.verdict().summary()).isTrue();

    dir = Files.createTempDirectory("bftlab-lab-planted-");
    long t0 = System.nanoTime();
    ScenarioLab.Outcome live = new ScenarioLab(new ScenarioLab.Options(SCENARIO, s, dir, null,
        100, ProcessCluster.JAR, List.of("-Xmx384m", "-XX:+UseSerialGC"), null,
        Set.of(PlantedBug.COMMIT_QUORUM_2F)), System.out).run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Verdict v = live.verdict();
    System.out.printf("LabPlantedBugIT: live with COMMIT_QUORUM_2F: %s (%s), %d ms wall, "
        + "notes %s%n", v.headline(), v.summary(), ms, live.notes());
    assertThat(v.safe()).as(v.summary()).isFalse();
    assertThat(v.checks()).filteredOn(c -> !c.ok()).extracting(CheckResult::name)
        .containsAnyOf("agreement-seqno", "agreement-height");
    assertThat(v.faultModel()).isEqualTo("within");
    assertThat(v.faultyNodes()).containsExactly("node-0");
    assertThat(live.holds()).isFalse();
  }
}
