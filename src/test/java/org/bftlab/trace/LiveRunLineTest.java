package org.bftlab.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bftlab.codec.Json;
import org.bftlab.codec.SampleMessages;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareAccepted;
import org.bftlab.core.msg.PrePrepare;
import org.junit.jupiter.api.Test;

/** {@link LiveRun} reads back a live trace line whose event has an absent (null) part. */
class LiveRunLineTest {
  @Test
  void aPassivelyLearntPrePrepareAcceptedReadsBackWithoutItsOwnPrepare() throws Exception {
    PrePrepare pp = (PrePrepare) SampleMessages.all().get(1);
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("seq", 3).put("tick", 5).put("time", 1000).put("kind", "persisted")
        .put("node", "node-2").put("component", "agreement").put("name", "PrePrepareAccepted");
    ObjectNode data = Json.mapper().valueToTree(new PrePrepareAccepted(pp));
    data.remove("type");  // a trace writes the runtime class, no type property at the top
    line.set("data", data);
    // as written by a live node during a view change (the line an equivocating-primary run
    // wrote, which LiveRun could not read before)
    assertThat(data.has("ownPrepare") && !data.get("ownPrepare").isNull()).isFalse();
    LiveRun.Read r = LiveRun.line(line, 0);
    assertThat(r.event().data()).isInstanceOf(PrePrepareAccepted.class);
    PrePrepareAccepted back = (PrePrepareAccepted) r.event().data();
    assertThat(back.pp().digest()).isEqualTo(pp.digest());
    assertThat(back.ownPrepare()).isNull();
  }

  @Test
  void aRecordWithItsOwnTypeComponentIsReadBackAsJsonNotLost() throws Exception {
    // block-commit's Rejected(type, from, reason): the type id would overwrite its "type"
    var n = Json.mapper().readTree("{\"seq\":1,\"tick\":2,\"time\":3,\"kind\":\"volatile\","
        + "\"node\":\"node-1\",\"component\":\"block-commit\",\"name\":\"Rejected\","
        + "\"data\":{\"type\":\"STATE-RESPONSE\",\"from\":\"node-2\",\"reason\":\"stale\"}}");
    Object data = LiveRun.line(n, 0).event().data();
    assertThat(data).isInstanceOf(com.fasterxml.jackson.databind.JsonNode.class);
    assertThat(((com.fasterxml.jackson.databind.JsonNode) data).get("type").asText())
        .isEqualTo("STATE-RESPONSE");
  }
}
