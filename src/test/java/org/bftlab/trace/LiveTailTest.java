package org.bftlab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LiveTail}: complete lines only, each once, in wall-clock order; bad lines counted. */
class LiveTailTest {
  private static final String A = "{\"seq\":0,\"tick\":0,\"time\":20,\"kind\":\"restart\",\"node\":\"node-0\"}\n";
  private static final String B = "{\"seq\":0,\"tick\":0,\"time\":10,\"kind\":\"end\",\"node\":\"node-1\",\"detail\":\"node stopped\"}\n";

  @Test
  void readsEachCompleteLineOnceInTimeOrder(@TempDir Path dir) throws Exception {
    LiveTail tail = new LiveTail(List.of(dir));
    assertThat(tail.poll()).isEmpty(); // no node has written yet
    Path n0 = Files.createDirectories(dir.resolve("node-0/trace")).resolve("trace-000001.ndjson");
    Path n1 = Files.createDirectories(dir.resolve("node-1/trace")).resolve("trace-000001.ndjson");
    Files.writeString(n0, A + B.substring(0, 20).replace("node-1", "node-0"));
    Files.writeString(n1, B);

    List<LiveTail.Line> first = tail.poll();
    assertThat(first).extracting(l -> l.event().node()).containsExactly("node-1", "node-0");
    assertThat(first).extracting(LiveTail.Line::time).containsExactly(10L, 20L);
    assertThat(tail.poll()).isEmpty(); // the half line waits for its newline

    Files.writeString(n0, B.substring(20) + "not json\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    List<LiveTail.Line> second = tail.poll();
    assertThat(second).hasSize(1);
    assertThat(second.get(0).event().kind()).isEqualTo("end");
    assertThat(tail.skipped()).isEqualTo(1);
    assertThat(tail.lastSkip()).contains("trace-000001.ndjson");
  }
}
