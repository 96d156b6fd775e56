package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Checkers;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.LiveRun;
import org.bftlab.trace.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bftlab check}'s path: a trace written as NDJSON, read back and merged by {@link LiveRun},
 * judged by the one {@link Checkers}: the same verdict as the simulator's own; a doctored trace
 * (two digests committed at one seqNo) is a violation.
 */
class LiveRunCheckTest {
  private static final ObjectMapper JSON = Json.mapper();
  private static final long SEED = 7;

  @Test
  void aTraceReadBackFromNdjsonGetsTheSimulatorsVerdict(@TempDir Path dir) throws Exception {
    SimulationResult r = Simulation.nodes(4).seed(SEED).transactions(60).run();
    System.out.println("seed " + SEED + ": " + r.verdict().headline());
    assertThat(r.verdict().safe()).isTrue();
    assertThat(r.verdict().live()).isTrue();
    write(r.trace(), dir.resolve("trace-000001.ndjson"));

    Verdict again = judge(r, dir);
    assertThat(again.headline()).isEqualTo(r.verdict().headline());
    assertThat(again.checks()).extracting(CheckResult::name, CheckResult::status)
        .containsExactlyElementsOf(r.verdict().checks().stream()
            .map(c -> org.assertj.core.groups.Tuple.tuple(c.name(), c.status())).toList());
  }

  @Test
  void twoDigestsCommittedAtOneSeqNoAreAViolation(@TempDir Path dir) throws Exception {
    SimulationResult r = Simulation.nodes(4).seed(SEED).transactions(20).run();
    List<String> lines = new ArrayList<>(List.of(r.trace().toString().split("\n")));
    int doctored = IntStream.range(0, lines.size()).filter(i -> lines.get(i)
        .contains("\"node\":\"node-1\"") && lines.get(i).contains("\"name\":\"CommittedLocal\""))
        .findFirst().orElseThrow();
    ObjectNode line = (ObjectNode) JSON.readTree(lines.get(doctored));
    ((ObjectNode) line.get("data")).put("digest", "ab".repeat(32));
    lines.set(doctored, JSON.writeValueAsString(line));
    Files.writeString(dir.resolve("trace-000001.ndjson"), String.join("\n", lines) + "\n");

    Verdict v = judge(r, dir);
    System.out.println("doctored line " + doctored + ": " + v.headline() + "; " + v.summary());
    assertThat(v.safe()).isFalse();
    assertThat(v.check("agreement-seqno").ok()).isFalse();
    assertThat(v.check("agreement-seqno").violations().get(0)).contains("node-1");
  }

  private static Verdict judge(SimulationResult r, Path dir) throws Exception {
    Trace merged = LiveRun.merge(List.of(dir), 1, r.config().livenessBoundTicks());
    List<ClientId> clients = IntStream.range(0, r.config().clients())
        .mapToObj(c -> new ClientId("client-" + c)).toList();
    return Checkers.judge(merged, new SimKeys(r.config().seed(), r.config().params().n(),
        clients, r.config().scheme()).verifier());
  }

  private static void write(Trace t, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      t.write(out);
    }
  }
}
