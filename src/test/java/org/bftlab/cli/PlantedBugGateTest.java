package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.bftlab.core.PlantedBug;
import org.junit.jupiter.api.Test;

class PlantedBugGateTest {
  @Test
  void noOptionPlantsNothingWhateverTheEnvironment() {
    assertThat(PlantedBugGate.parse(null, Map.of())).isEmpty();
    assertThat(PlantedBugGate.parse(List.of(), Map.of(PlantedBugGate.ENV, "1"))).isEmpty();
  }

  @Test
  void theOptionAloneIsRefusedAndSaysWhatIsMissing() {
    assertThatThrownBy(() -> PlantedBugGate.parse(List.of("COMMIT_QUORUM_2F"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BFTLAB_TEST_PLANTED_BUGS=1");
    assertThatThrownBy(() -> PlantedBugGate.parse(List.of("COMMIT_QUORUM_2F"),
        Map.of(PlantedBugGate.ENV, "true"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theOptionWithTheVariablePlantsTheNamedBugs() {
    assertThat(PlantedBugGate.parse(List.of("COMMIT_QUORUM_2F", "NEW_VIEW_DROPS_P"),
        Map.of(PlantedBugGate.ENV, "1")))
        .containsExactlyInAnyOrder(PlantedBug.COMMIT_QUORUM_2F, PlantedBug.NEW_VIEW_DROPS_P);
  }

  @Test
  void anUnknownBugIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> PlantedBugGate.parse(List.of("COMMIT_QUORUM_1"),
        Map.of(PlantedBugGate.ENV, "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("COMMIT_QUORUM_1").hasMessageContaining("COMMIT_QUORUM_2F");
  }
}
