package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.bftlab.sim.check.CheckResult;
import org.junit.jupiter.api.Test;

/** Normal case and determinism of the simulator. */
class SimulationTest {

  @Test
  void normalCaseFourNodesCommitsEverythingAndPassesEveryCheck() {
    SimulationResult r = Simulation.nodes(4).seed(7).transactions(40).run();
    assertThat(r.verdict().checks()).allMatch(c -> c.status().equals("pass"), "all pass: "
        + r.verdict().toJson());
    assertThat(r.verdict().within()).isTrue();
    assertThat(r.trace().toString()).contains("\"kind\":\"client-committed\"");
  }

  @Test
  void normalCaseSevenNodes() {
    SimulationResult r = Simulation.nodes(7).seed(3).transactions(60).run();
    assertThat(r.verdict().checks()).allMatch(c -> c.status().equals("pass"), r.verdict().toJson());
  }

  @Test
  void sameSeedGivesByteIdenticalTraceAndDifferentSeedsDiffer() {
    byte[] a = Simulation.nodes(4).seed(11).transactions(30).run().trace().toNdjson();
    byte[] b = Simulation.nodes(4).seed(11).transactions(30).run().trace().toNdjson();
    byte[] c = Simulation.nodes(4).seed(12).transactions(30).run().trace().toNdjson();
    assertThat(a.length).isGreaterThan(1000);
    assertThat(Arrays.equals(a, b)).as("same seed, same bytes").isTrue();
    assertThat(Arrays.equals(a, c)).as("different seeds differ").isFalse();
  }

  @Test
  void edScheme() {
    SimulationResult r = Simulation.nodes(4).seed(5).transactions(20)
        .scheme(SimKeys.Scheme.ED25519).run();
    assertThat(r.verdict().checks()).allMatch(CheckResult::ok, r.verdict().toJson());
  }
}
