package org.bftlab.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bftlab step --scenario}: the scenario's faults become scheduled choices. */
class StepScenarioFaultsTest {
  private static StepConfig scenario(String file) throws Exception {
    return StepConfig.fromScenario(ScenarioLoader.load(Path.of("scenarios", file)), null);
  }

  @Test
  void aCrashAtTick20HappensWhenTheStudentReachesTick20AndIsSaved(@TempDir Path dir)
      throws Exception {
    StepConfig cfg = scenario("crashed-primary.yaml");
    assertThat(cfg.faults()).extracting(StepConfig.Fault::toString)
        .containsExactly("20 crash node-0");
    assertThat(cfg.ignored()).isEmpty();
    Stepper s = new Stepper(cfg);
    for (int i = 0; i < 19; i++) {
      s.apply(new Choice("tick", ""));
    }
    assertThat(s.replica("node-0").up()).isTrue();
    s.apply(new Choice("tick", ""));
    assertThat(s.replica("node-0").up()).isFalse();
    assertThat(s.narrationOf(s.position())).anyMatch(n -> n.contains("crash node-0")
        && n.contains("tick 20"));
    Path f = dir.resolve("crash.schedule");
    s.save(f);
    Stepper loaded = Stepper.load(f);
    assertThat(loaded.replica("node-0").up()).isFalse();
    assertThat(loaded.traceNdjson()).isEqualTo(s.traceNdjson());
  }

  @Test
  void anEquivocatingPrimaryIsByzantineFromTheStartAndWhatCannotBeDoneIsRefusedWithWhy()
      throws Exception {
    Stepper s = new Stepper(scenario("equivocating-primary.yaml"));
    assertThat(s.byzantine()).containsEntry("node-0", "equivocate");
    assertThat(s.badges().faulty()).containsExactly("node-0");

    StepConfig lossy = scenario("lossy-network.yaml");
    assertThat(lossy.ignored()).isNotEmpty()
        .allMatch(i -> i.contains("the student decides each message's fate"));
  }
}
