package org.bftlab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading scenario files: round trips and precise errors. */
class ScenarioLoaderTest {
  static final String GOOD = """
      name: t
      seed: 3
      cluster: {nodes: 4}
      workload: {clients: 2, transactions: 20}
      faults:
        network:
          - {rule: drop, probability: 0.2, from: 10, until: 60, types: [PREPARE]}
          - rule: delay
            delay: {uniform: [0, 3]}
          - {rule: partition, groups: [[node-0, node-1, node-2], [node-3]], from: 5, until: 50}
          - {rule: one-way-partition, fromNodes: [node-1], toNodes: [node-2]}
          - {rule: isolate, node: node-3, from: 1, until: 2}
          - {rule: reorder, maxTicks: 4}
          - {rule: duplicate, probability: 0.1, extraDelay: {exponential: {mean: 2.0, cap: 9}}}
        process:
          - {fault: crash, node: node-2, at: 20}
          - {fault: restart, node: node-2, at: 40}
          - {fault: pause, node: node-1, at: 5, until: 9, keepMessages: false}
          - {fault: truncate, node: node-2, at: 20, component: agreement, events: 2}
          - {fault: corrupt, node: node-2, at: 20, component: block-commit, fromEnd: 0}
          - {fault: amnesia, node: node-2, at: 20}
        byzantine:
          - {node: node-1, strategy: mutate, probability: 0.5}
          - {node: node-0, strategy: twin, peers: [node-3], exclusive: true}
      expect:
        safety: hold
        liveness: {withinTicks: 300, needsViewChange: true}
        faultModel: beyond
      """;

  @Test
  void goodFileRoundTrips() {
    Scenario s = ScenarioLoader.parse(GOOD, "good.yaml");
    assertThat(s.faultsOrNone().networkRules()).hasSize(7);
    assertThat(s.faultsOrNone().processFaults()).hasSize(6);
    assertThat(s.expect().liveness().viewChangeNeeded()).isTrue();
    String yaml = ScenarioLoader.toYaml(s);
    assertThat(ScenarioLoader.parse(yaml, "again.yaml")).isEqualTo(s);
    // and it builds a simulation
    assertThat(ScenarioRunner.simulation(s, 1).config().faults().byzantine()).hasSize(2);
  }

  @Test
  void everyShippedScenarioLoadsAndRoundTrips() throws Exception {
    List<Path> files;
    try (var l = Files.list(Path.of("scenarios"))) {
      files = l.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    for (Path p : files) {
      Scenario s = ScenarioLoader.load(p);
      assertThat(p.getFileName().toString()).isEqualTo(s.name() + ".yaml");
      assertThat(ScenarioLoader.parse(ScenarioLoader.toYaml(s), "x")).isEqualTo(s);
    }
  }

  static ScenarioException error(String yaml) {
    try {
      ScenarioLoader.parse(yaml, "bad.yaml");
    } catch (ScenarioException e) {
      return e;
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  @Test
  void unknownFieldNamesTheFieldAndLine() {
    ScenarioException e = error(GOOD.replace("probability: 0.2,", "probabilty: 0.2,"));
    assertThat(e.path()).isEqualTo("faults.network[0].probabilty");
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.getMessage()).startsWith("bad.yaml:7: field 'faults.network[0].probabilty': "
        + "unknown field; known fields: [").contains("probability, receivers");
    e = error(GOOD.replace("types: [PREPARE]}", "types: [PREPARE], colour: red}"));
    assertThat(e.path()).isEqualTo("faults.network[0].colour");
    assertThat(e.line()).isEqualTo(7);
    e = error(GOOD.replace("seed: 3", "seed: 3\nsed: 4"));
    assertThat(e.path()).isEqualTo("sed");
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void badValuesNameTheFieldAndLine() {
    ScenarioException e = error(GOOD.replace("probability: 0.2,", "probability: 1.2,"));
    assertThat(e.path()).isEqualTo("faults.network[0]");
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.getMessage()).contains("probability must be in [0, 1], got 1.2");

    e = error(GOOD.replace("transactions: 20", "transactions: many"));
    assertThat(e.path()).isEqualTo("workload.transactions");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("many");

    e = error(GOOD.replace("{nodes: 4}", "{nodes: 5}"));
    assertThat(e.path()).isEqualTo("cluster");
    assertThat(e.getMessage()).contains("3f+1");

    e = error(GOOD.replace("node: node-2, at: 20}", "node: nod-2, at: 20}"));
    assertThat(e.path()).isEqualTo("faults.process[0].node");
    assertThat(e.line()).isEqualTo(16);

    e = error(GOOD.replace("{fault: restart, node: node-2", "{fault: restart, node: node-9"));
    assertThat(e.path()).isEqualTo("faults.process[1].node");
    assertThat(e.line()).isEqualTo(17);
    assertThat(e.getMessage()).contains("node-9 is not a replica of this 4-node cluster");

    e = error(GOOD.replace("component: agreement", "component: consensus"));
    assertThat(e.path()).isEqualTo("faults.process[3]");
    assertThat(e.getMessage()).contains("component must be election, agreement or block-commit");
  }

  @Test
  void unknownKindsListTheKnownOnes() {
    ScenarioException e = error(GOOD.replace("rule: reorder", "rule: shuffle"));
    assertThat(e.path()).isEqualTo("faults.network[5]");
    assertThat(e.getMessage()).contains("unknown kind 'shuffle'").contains("one-way-partition");
    e = error(GOOD.replace("strategy: mutate", "strategy: lie"));
    assertThat(e.getMessage()).contains("unknown kind 'lie'").contains("equivocate");
  }

  @Test
  void inconsistentExpectationsAndMissingFields() {
    ScenarioException e = error(GOOD.replace("  safety: hold", "  safety: hold\n  violation: detected"));
    assertThat(e.path()).isEqualTo("expect");
    assertThat(e.getMessage()).contains("exclude each other");
    e = error(GOOD.replace("workload: {clients: 2, transactions: 20}\n", ""));
    assertThat(e.getMessage()).contains("missing required field 'workload'");
    e = error("name: [unclosed");
    assertThat(e.getMessage()).startsWith("bad.yaml:");
  }

  @Test
  void twoStrategiesForOneNodeAreRejected() {
    ScenarioException e = error(GOOD.replace("{node: node-0, strategy: twin",
        "{node: node-1, strategy: twin"));
    assertThat(e.path()).isEqualTo("faults.byzantine[1].node");
    assertThat(e.line()).isEqualTo(24);
  }
}
