package org.bftlab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.bftlab.sim.SeedProperty;
import org.bftlab.sim.check.Verdict;
import org.junit.jupiter.api.Test;

/**
 * f Byzantine replicas plus correct replicas that crash and restart from their intact journals
 * (Castro &amp; Liskov OSDI'99 §2: crash-recovery with stable storage is correct behaviour): every
 * seed of {@value #SEEDS} is labelled {@code within} the fault model, with the Byzantine nodes
 * alone as faulty and the restarted ones as crash-recovered, is safe, and meets the scenario's
 * liveness bound counted from the last restart. {@code -Dbftlab.seed=N} runs only seed N.
 */
class CrashRecoveryScenariosTest {
  static final long SEEDS = 100;

  @Test
  void n4OneByzantinePlusOneCrashRestartIsWithinAndLiveOver100Seeds() {
    check("scenarios/byzantine-and-crash-restart.yaml", List.of("node-3"), List.of("node-0"));
  }

  @Test
  void n7TwoByzantinePlusTwoCrashRestartsAreWithinAndLiveOver100Seeds() {
    check("scenarios/byzantine-and-crash-restart-n7.yaml", List.of("node-5", "node-6"),
        List.of("node-0", "node-2"));
  }

  private static void check(String file, List<String> byzantine, List<String> restarted) {
    Scenario s = ScenarioLoader.load(Path.of(file));
    long start = System.nanoTime(); // report only
    long from = s.defaultSeed();
    SeedProperty.Summary sum = SeedProperty.forSeeds(from, from + SEEDS, seed -> {
      ScenarioOutcome o = ScenarioRunner.run(s, seed);
      Verdict v = o.verdict();
      assertThat(v.faultModel()).as("seed %d: %s", seed, v.summary()).isEqualTo("within");
      assertThat(v.faultyNodes()).as("seed %d", seed).containsExactlyElementsOf(byzantine);
      assertThat(v.crashRecovered()).as("seed %d", seed).containsExactlyElementsOf(restarted);
      assertThat(v.livenessJudged()).as("seed %d", seed).isTrue();
      assertThat(v.safe()).as("seed %d: %s", seed, v.summary()).isTrue();
      assertThat(v.live()).as("seed %d: %s", seed, v.summary()).isTrue();
      assertThat(o.holds()).as("seed %d: %s", seed, o.expectations()).isTrue();
    });
    System.out.printf("%s: seeds [%d, %d): %d runs within the fault model (faulty %s, "
            + "crash-recovered %s), safe, live within %d ticks of the last restart; %.1f s%n",
        s.name(), sum.from(), sum.to(), sum.seedsRun(), byzantine, restarted,
        s.expect().liveness().withinTicks(), (System.nanoTime() - start) / 1e9);
  }
}
