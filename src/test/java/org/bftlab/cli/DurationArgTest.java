package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationArgTest {
  @Test
  void parsesUnitsAndIso() {
    assertThat(DurationArg.parse("--x", "90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationArg.parse("--x", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationArg.parse("--x", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationArg.parse("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationArg.parse("--x", "PT3S")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void rejectsGarbageNamingTheOption() {
    assertThatThrownBy(() -> DurationArg.parse("--warmup", "soon"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warmup")
        .hasMessageContaining("soon");
  }
}
