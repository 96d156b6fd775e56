package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed ranges, the failing seed and its replay command. */
class SeedPropertyTest {
  @Test
  void runsEverySeedInOrder() {
    List<Long> seen = new ArrayList<>();
    SeedProperty.Summary s = SeedProperty.forSeeds(3, 7, seen::add);
    assertThat(seen).containsExactly(3L, 4L, 5L, 6L);
    assertThat(s.seedsRun()).isEqualTo(4);
  }

  @Test
  void failureNamesTheSeedAndAReplayCommand() {
    assertThatThrownBy(() -> SeedProperty.forSeeds(0, 10, seed -> {
      if (seed == 6) {
        throw new IllegalStateException("boom");
      }
    })).isInstanceOf(AssertionError.class)
        .hasMessageContaining("property fails for seed 6: boom")
        .hasMessageContaining("replay: mvn -o -q test -Dtest='org.bftlab.sim.SeedPropertyTest#"
            + "failureNamesTheSeedAndAReplayCommand' -Dbftlab.seed=6");
  }
}
