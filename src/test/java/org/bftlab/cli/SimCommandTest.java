package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bftlab.codec.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bftlab sim}: exit codes, JSON, trace and diagram files. */
class SimCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new SimCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void scenarioThatHoldsExitsZeroWithParsableJsonTraceAndDiagram() throws Exception {
    Path trace = dir.resolve("t.ndjson");
    Path svg = dir.resolve("d.svg");
    Run r = run("--scenario", "scenarios/normal-case.yaml", "--seeds", "1..3", "--json",
        "--trace", trace.toString(), "--diagram", svg.toString(), "--diagram-ticks", "0..15");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = Json.mapper().readTree(r.out());
    assertThat(j.get("passed").asBoolean()).isTrue();
    assertThat(j.get("runs")).hasSize(3);
    assertThat(j.get("runs").get(0).get("faultModel").asText()).isEqualTo("within");
    assertThat(r.err()).contains("seed 3 (3/3) ok");
    assertThat(Files.readAllLines(trace).get(0)).contains("\"kind\":\"run\"");
    assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg");
  }

  @Test
  void negativeControlHoldsAndTheTableSaysSo() {
    Run r = run("--scenario", "scenarios/twins-beyond-f.yaml");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("UNSAFE").contains("beyond")
        .contains("every expectation holds for every seed");
    assertThat(r.out()).as("liveness is not judged beyond the model, and the table says so")
        .contains("UNSAFE, liveness not judged (beyond the fault model: 2 faulty > f = 1)")
        .doesNotContainPattern(", live\\b").doesNotContain("safe+live");
  }

  @Test
  void jsonNeverSaysLiveWhenLivenessWasNotJudged() throws Exception {
    Run r = run("--scenario", "scenarios/amnesia-beyond-f.yaml", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode run = Json.mapper().readTree(r.out()).get("runs").get(0);
    assertThat(run.get("verdict").asText()).startsWith("UNSAFE, liveness not judged (beyond");
    JsonNode checks = run.get("checks");
    assertThat(checks.get("live").isNull()).as(checks.toString()).isTrue();
    assertThat(checks.get("liveness").asText()).isEqualTo("not-judged");
    assertThat(checks.get("livenessNote").asText()).contains("storage fault [node-0, node-1]");
  }

  @Test
  void crashRestartedCorrectReplicaIsWithinAndJudgedLive() throws Exception {
    Run table = run("--scenario", "scenarios/byzantine-and-crash-restart.yaml", "--seed", "3");
    assertThat(table.code()).as(table.out() + table.err()).isZero();
    assertThat(table.out()).contains("safe, live ").contains("within")
        .contains("node-3,node-0(restarted)");
    Run r = run("--scenario", "scenarios/byzantine-and-crash-restart.yaml", "--seed", "3",
        "--json");
    JsonNode run = Json.mapper().readTree(r.out()).get("runs").get(0);
    assertThat(run.get("verdict").asText()).isEqualTo("safe, live");
    assertThat(run.get("faultyNodes").toString()).isEqualTo("[\"node-3\"]");
    assertThat(run.get("crashRecovered").toString()).isEqualTo("[\"node-0\"]");
    assertThat(run.get("checks").get("live").asBoolean()).isTrue();
    assertThat(run.get("checks").get("liveness").asText()).isEqualTo("live");
  }

  @Test
  void badScenarioFileExitsTwoWithTheLoadersMessage() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: x\ncluster: {nodes: 4, size: 3}\n");
    Run r = run("--scenario", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml:2").contains("field 'cluster.size'")
        .contains("unknown field");
    assertThat(run("--scenario", dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
    assertThat(run("--scenario", "scenarios/normal-case.yaml", "--seeds", "5..2").code())
        .isEqualTo(2);
  }
}
