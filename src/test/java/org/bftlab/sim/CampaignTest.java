package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.bftlab.sim.check.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The seeded campaign: random schedules on n = 4 with at most f = 1 faulty node (a backup:
 * {@link RandomSchedule#BACKUPS_ONLY} until the view change lands), mixed network and process
 * faults, 20–40 transactions each. Zero safety violations and liveness met on every seed.
 */
class CampaignTest {
  static final long FROM = 0;
  static final long TO = 800;

  @Test
  void eightHundredRandomSchedulesWithinTheFaultModelAreSafeAndLive() {
    long start = System.nanoTime(); // report only; nothing in the simulation reads a clock
    int[] within = {0};
    SeedProperty.Summary s = SeedProperty.forSeeds(FROM, TO, seed -> {
      SimulationResult r = Simulation.nodes(4).seed(seed).transactions(20 + (int) (seed % 21))
          .faults(RandomSchedule.BACKUPS_ONLY.generate(seed, 4)).run();
      Verdict v = r.verdict();
      if (!v.within() || !v.safe() || !v.live()) {
        throw new AssertionError(v.summary());
      }
      within[0]++;
    });
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf("campaign: seeds [%d, %d), %d runs, %d within the fault model, %.1f s%n",
        s.from(), s.to(), s.seedsRun(), within[0], secs);
    assertThat(within[0]).isEqualTo((int) s.seedsRun());
  }
}
