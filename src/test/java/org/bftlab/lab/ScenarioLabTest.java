package org.bftlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.bftlab.codec.Json;
import org.bftlab.sim.scenario.ByzantineEntry;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

/** What {@link ScenarioLab} refuses, and the network rules it sends, without starting a node. */
class ScenarioLabTest {
  private static Scenario load(String name) throws Exception {
    return ScenarioLoader.load(Path.of("scenarios", name + ".yaml"));
  }

  @Test
  void rulesKeepTheirNameAndAreShiftedForARestartedNode() throws Exception {
    JsonNode rules = LabTimeline.rulesJson(load("lossy-network").faultsOrNone().networkRules());
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).get("rule").asText()).isEqualTo("drop");
    assertThat(rules.get(1).get("rule").asText()).isEqualTo("duplicate");
    JsonNode later = Json.mapper().readTree(ScenarioLab.shifted(rules, 100));
    assertThat(later.get(0).get("until").asLong()).isEqualTo(50);
    assertThat(later.get(0).get("from").asLong()).isZero();
    assertThat(later.get(0).get("rule").asText()).isEqualTo("drop");
    assertThat(Json.mapper().readTree(ScenarioLab.shifted(rules, 150))).isEmpty();
  }

  @Test
  void aByzantineNodeGetsItsScenarioEntryAsItsStartFlag() throws Exception {
    Scenario s = load("equivocating-primary");
    String[][] args = ScenarioLab.nodeArgs(s, 4);
    assertThat(args[1]).isEmpty();
    assertThat(args[0][0]).isEqualTo("--byzantine");
    // what bftlab node --byzantine reads back
    ByzantineEntry back = Json.mapper().readValue(args[0][1], ByzantineEntry.class);
    assertThat(back).isEqualTo(s.faultsOrNone().byzantineNodes().get(0));
    assertThat(back.spec().name()).isEqualTo("equivocate");
  }

  @Test
  void refusesWhatALiveClusterCannotDoAndSaysWhy() throws Exception {
    assertThat(ScenarioLab.unsupported(load("crashed-primary"), 10, 10)).isEmpty();
    assertThat(ScenarioLab.unsupported(load("crash-restart-storm"), 10, 10)).isEmpty();
    assertThat(ScenarioLab.unsupported(load("lossy-network"), 10, 10)).isEmpty();
    assertThat(ScenarioLab.unsupported(load("equivocating-primary"), 10, 10)).isEmpty();
    assertThat(ScenarioLab.unsupported(load("twins"), 10, 10)).anySatisfy(r ->
        assertThat(r).contains("twin"));
    assertThat(ScenarioLab.unsupported(load("lossy-network"), 20, 10))
        .singleElement().asString().contains("--tick-ms 10");
  }
}
