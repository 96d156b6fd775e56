package org.bftlab.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.List;
import org.bftlab.api.TransactionBody;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Canonical;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.Test;

/**
 * A transaction's read set: covered by the client's signature, absent from the signed bytes
 * of a request without one (old signatures still verify), and optional in JSON and CBOR (old
 * bodies and journal entries still decode).
 */
class ReadSetCodecTest {
  private static final ObjectMapper JSON = Json.mapper();

  @Test
  void aRequestWithoutReadSetSignsThePreReadSetBytes() {
    Request r = SampleMessages.request(7);
    byte[] old = Canonical.begin("REQUEST", SampleMessages.CLUSTER).str("client-0").i64(7)
        .str("token").str("transfer").strs(List.of("client-0", "client-1", "5")).toBytes();
    assertThat(r.readSet()).isEmpty();
    assertThat(r.signedBytes()).isEqualTo(old);
    assertThat(r.verify(SampleMessages.AUTH)).isTrue();
  }

  @Test
  void theSignatureCoversTheReadSet() {
    Request r = SampleMessages.requestWithReads(7);
    assertThat(r.verify(SampleMessages.AUTH)).isTrue();
    Request otherVersion = new Request(r.clusterId(), r.client(), r.timestamp(), r.contract(),
        r.operation(), r.args(), List.of(new ReadEntry("token", "client-0", 3, 2),
            ReadEntry.absent("token", "client-1")), r.signature());
    Request dropped = new Request(r.clusterId(), r.client(), r.timestamp(), r.contract(),
        r.operation(), r.args(), List.of(), r.signature());
    assertThat(otherVersion.verify(SampleMessages.AUTH)).isFalse();
    assertThat(dropped.verify(SampleMessages.AUTH)).isFalse();
    assertThat(r.txId()).isEqualTo(dropped.txId());
  }

  @Test
  void jsonBodyRoundTripsAndAnOldBodyWithoutReadSetDecodes() throws Exception {
    Request r = SampleMessages.requestWithReads(9);
    String json = JSON.writeValueAsString(TransactionBody.of(r));
    assertThat(json).contains("\"readSet\":[{\"contract\":\"token\",\"key\":\"client-0\","
        + "\"blockHeight\":3,\"txIndex\":1}");
    assertThat(JSON.readValue(json, TransactionBody.class).toRequest()).isEqualTo(r);

    Request blind = SampleMessages.request(10);
    assertThat(JSON.writeValueAsString(TransactionBody.of(blind))).doesNotContain("readSet");
    String old = "{\"clusterId\":\"" + SampleMessages.CLUSTER + "\",\"client\":\"client-0\","
        + "\"timestamp\":10,\"contract\":\"token\",\"operation\":\"transfer\","
        + "\"args\":[\"client-0\",\"client-1\",\"5\"],\"signature\":\""
        + java.util.Base64.getEncoder().encodeToString(blind.signature()) + "\"}";
    Request decoded = JSON.readValue(old, TransactionBody.class).toRequest();
    assertThat(decoded.readSet()).isEmpty();
    assertThat(decoded.verify(SampleMessages.AUTH)).isTrue();
  }

  @Test
  void cborRequestWithoutReadSetFieldDecodes() throws Exception {
    ObjectMapper cbor = CBORMapper.builder().addModule(new BftlabJacksonModule()).build();
    Request r = SampleMessages.request(11);
    // a journal entry written before read sets existed: the same map without "readSet"
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> map = cbor.convertValue(r, java.util.Map.class);
    assertThat(map).containsKey("readSet");
    map.remove("readSet");
    Request back = cbor.readValue(cbor.writeValueAsBytes(map), Request.class);
    assertThat(back.readSet()).isEmpty();
    assertThat(back).isEqualTo(r);
    Request withReads = SampleMessages.requestWithReads(12);
    assertThat(cbor.readValue(cbor.writeValueAsBytes(withReads), Request.class).readSet())
        .isEqualTo(withReads.readSet());
  }
}
