package org.bftlab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;

/** NDJSON shape of trace lines. */
class TraceTest {
  @Test
  void oneJsonObjectPerLineInFieldOrderWithoutNulls() {
    Trace t = new Trace();
    t.add(0, TraceEvent.Kind.CRASH, "node-2", null, null, null, null, null);
    t.add(3, TraceEvent.Kind.SEND, "node-1", null, "CHECKPOINT", "node-0", "at 4",
        new Checkpoint(16, Digest.ZERO, new NodeId(1), new byte[] {1, 2}));
    String ndjson = new String(t.toNdjson(), StandardCharsets.UTF_8);
    assertThat(ndjson.split("\n", -1)).hasSize(3).endsWith("");
    assertThat(ndjson).startsWith("{\"seq\":0,\"tick\":0,\"kind\":\"crash\",\"node\":\"node-2\"}\n"
        + "{\"seq\":1,\"tick\":3,\"kind\":\"send\",\"node\":\"node-1\",\"name\":\"CHECKPOINT\","
        + "\"peer\":\"node-0\",\"detail\":\"at 4\",\"data\":{");
    assertThat(t.of(TraceEvent.Kind.SEND)).hasSize(1);
  }
}
