package org.bftlab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every scenario in {@code scenarios/} with its own seed and the next two, and checks every
 * expectation, liveness included (the simulator runs the view change, so a scenario whose
 * primary is crashed, silent or Byzantine must still commit everything).
 */
class ShippedScenariosTest {
  @TestFactory
  Stream<DynamicTest> everyShippedScenarioMeetsItsExpectations() throws Exception {
    List<Path> files;
    try (var l = Files.list(Path.of("scenarios"))) {
      files = l.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("normal-case.yaml",
        "crashed-primary.yaml", "silent-primary.yaml", "equivocating-primary.yaml",
        "partitioned-backup.yaml", "lossy-network.yaml", "slow-network.yaml",
        "crash-restart-storm.yaml", "amnesia-beyond-f.yaml", "twins.yaml",
        "byzantine-and-crash-restart.yaml", "byzantine-and-crash-restart-n7.yaml");
    return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
      Scenario s = ScenarioLoader.load(p);
      for (long seed = s.defaultSeed(); seed < s.defaultSeed() + 3; seed++) {
        ScenarioOutcome o = ScenarioRunner.run(s, seed);
        for (ExpectationResult e : o.expectations()) {
          if (!e.name().equals("liveness")) {
            assertThat(e.holds()).as(s.name() + " seed " + seed + ": " + e).isTrue();
          }
        }
        assertThat(o.holds()).as(s.name() + " seed " + seed + ": " + o.expectations()).isTrue();
      }
    }));
  }
}
