package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Benchmark figure, printed, never asserted on time: seeds per minute of the 200-transaction
 * 4-node normal case, on the one test thread, for both signature schemes.
 */
class BenchmarkTest {
  @Test
  void seedsPerMinuteOfTheNormalCase() {
    for (SimKeys.Scheme scheme : SimKeys.Scheme.values()) {
      int warm = 3;
      int runs = scheme == SimKeys.Scheme.MAC ? 20 : 5;
      for (int i = 0; i < warm; i++) {
        Simulation.nodes(4).seed(1000 + i).transactions(200).scheme(scheme).run();
      }
      long t0 = System.nanoTime(); // report only
      for (int i = 0; i < runs; i++) {
        SimulationResult r = Simulation.nodes(4).seed(i).transactions(200).scheme(scheme).run();
        assertThat(r.verdict().passed()).isTrue();
      }
      double perSeedMs = (System.nanoTime() - t0) / 1e6 / runs;
      System.out.printf("benchmark: n=4, 200 tx, %s: %.1f ms/seed = %.0f seeds/minute (one core)%n",
          scheme, perSeedMs, 60_000 / perSeedMs);
    }
  }
}
