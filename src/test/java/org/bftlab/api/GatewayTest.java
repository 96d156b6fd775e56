package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.Test;

/** The gateway's checks without HTTP: order of checks and the wording of messages. */
class GatewayTest {
  static final ProtocolParams PARAMS = ProtocolParams.defaults("bftlab-test", 4);
  static final ObjectMapper JSON = Json.mapper();
  final Gateway gateway = new Gateway(PARAMS, new FakeAuthenticator(new NodeId(0)));

  static Request signed(String client, String cluster) {
    return Request.sign(cluster, new ClientId(client), 3, "token", "transfer",
        List.of("client-0", "client-1", "5"), p -> FakeAuthenticator.signAs(client, p));
  }

  ApiError refused(String body) {
    var admission = gateway.admit(body.getBytes(StandardCharsets.UTF_8));
    assertThat(admission).isInstanceOf(Gateway.Admission.Refused.class);
    ApiError error = ((Gateway.Admission.Refused) admission).error();
    return error;
  }

  String body(Request r, String field, Object value) {
    ObjectNode node = JSON.valueToTree(TransactionBody.of(r));
    node.set(field, JSON.valueToTree(value));
    return node.toString();
  }

  @Test
  void admitsAValidRequestUnchanged() {
    Request r = signed("client-0", "bftlab-test");
    var admission = gateway.admit(body(r, "client", "client-0").getBytes(StandardCharsets.UTF_8));
    assertThat(admission).isEqualTo(new Gateway.Admission.Admitted(r));
    assertThat(gateway.maxBodyBytes()).isEqualTo(2L * PARAMS.maxRequestBytes());
  }

  @Test
  void messagesNameTheProblem() {
    Request r = signed("client-0", "bftlab-test");
    assertThat(refused("{\"clusterId\":").message()).startsWith("body is not valid JSON");
    assertThat(refused("").message()).contains("empty");
    assertThat(refused(body(r, "timestamp", "x")).message()).startsWith("field 'timestamp'")
        .doesNotContain("CoercionConfig");
    assertThat(refused(body(r, "args", List.of(1, 2))).message()).startsWith("field 'args[0]'");
    assertThat(refused(body(r, "client", "no spaces")).message()).startsWith("field 'client'");
    assertThat(refused(body(r, "zzz", 1)).message()).startsWith("unknown field 'zzz'");
    assertThat(refused(body(r, "signature", "%%%")).message()).contains("signature");
  }

  @Test
  void checksRunInOrderSizeBeforeClusterBeforeClientBeforeSignature() {
    // wrong cluster AND unknown client AND bad signature: the cluster is reported
    Request r = Request.sign("elsewhere", new ClientId("client-9"), 1, "token", "transfer",
        List.of(), p -> new byte[32]);
    assertThat(refused(body(r, "client", "client-9")).error()).isEqualTo("WRONG_CLUSTER");
    // oversized and malformed name: the size is reported
    Request big = Request.sign("bftlab-test", new ClientId("client-0"), 1, "BAD NAME", "transfer",
        List.of("z".repeat(PARAMS.maxRequestBytes())), p -> new byte[32]);
    ApiError tooLarge = refused(body(big, "client", "client-0"));
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.error()).isEqualTo("TOO_LARGE");
  }
}
