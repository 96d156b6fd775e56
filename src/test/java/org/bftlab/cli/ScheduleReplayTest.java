package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.bftlab.codec.Json;
import org.bftlab.step.Choice;
import org.bftlab.step.ReplicaView;
import org.bftlab.step.StepConfig;
import org.bftlab.step.Stepper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A schedule saved in {@code bftlab step} replays in {@code bftlab sim --schedule}. */
class ScheduleReplayTest {
  @TempDir Path dir;

  @Test
  void aSavedScheduleReplaysToTheSameChainHeadInSimAndStep() throws Exception {
    Stepper s = new Stepper(StepConfig.normalCase(7));
    s.runUntilCommitted(1);
    s.apply(new Choice("crash", "node-0"));
    s.apply(new Choice("request", "all"));
    while (!s.inFlight().isEmpty()) {
      s.step();
    }
    for (String n : List.of("node-1", "node-2", "node-3")) {
      s.apply(new Choice("timer", n));
    }
    assertThat(s.runUntilCommitted(2)).isTrue();
    Path file = dir.resolve("run.schedule");
    s.save(file);
    String head = s.replica("node-1").head();
    assertThat(s.replicas()).filteredOn(ReplicaView::up).extracting(ReplicaView::height)
        .containsOnly(2L);

    SimCommandTest.Run table = SimCommandTest.run("--schedule", file.toString());
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).contains("safe, live").contains("node-0   crashed");
    for (String n : List.of("node-1", "node-2", "node-3")) {
      assertThat(table.out()).contains(n + "   height 2 head " + head);
    }
    SimCommandTest.Run json = SimCommandTest.run("--schedule", file.toString(), "--json");
    JsonNode j = Json.mapper().readTree(json.out());
    assertThat(j.get("steps").asInt()).isEqualTo(s.position());
    assertThat(j.get("safety").asText()).isEqualTo("safe");
    assertThat(j.get("chains").get(1).get("head").asText()).isEqualTo(head);
    assertThat(j.get("checks").get("faultModel").asText()).isEqualTo("within");
  }

  @Test
  void scenarioAndScheduleTogetherOrNeitherAreRefused() throws Exception {
    assertThat(SimCommandTest.run().code()).isEqualTo(2);
    SimCommandTest.Run r = SimCommandTest.run("--schedule", dir.resolve("none").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("none");
  }
}
