package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bftlab.codec.Json;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.ledger.Version;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {
  static final String CLUSTER = "bftlab-test";
  static final ProtocolParams PARAMS =
      new ProtocolParams(CLUSTER, NodeId.range(4), 64, 2, 16, 32, 50, 1024);
  static final NodeId SELF = new NodeId(0);
  static final FakeAuthenticator AUTH = new FakeAuthenticator(SELF);
  static final ObjectMapper JSON = Json.mapper();
  static final AdminFixture ADMIN = new AdminFixture(CLUSTER);

  ActorSystem<Void> system;
  FakeNodeFacade facade;
  HangingFacade hanging;
  ServerBinding binding;
  ServerBinding hangingBinding;
  HttpClient http;

  @BeforeAll
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "api-test",
        ConfigFactory.parseString("pekko.loglevel = WARNING"));
    NodeInfo info = new NodeInfo(CLUSTER, SELF, 4, 1);
    facade = new FakeNodeFacade(info);
    hanging = new HangingFacade(info);
    binding = HttpApi.bind(system, "127.0.0.1", 0, facade, PARAMS, AUTH, Duration.ofSeconds(5),
        AdminAuth.of(ADMIN.genesis, SELF)).toCompletableFuture().join();
    hangingBinding = HttpApi.bind(system, "127.0.0.1", 0, hanging, PARAMS, AUTH,
        Duration.ofMillis(200)).toCompletableFuture().join();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  void stop() {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  @BeforeEach
  void reset() {
    facade.reset();
    hanging.submitted.clear();
  }

  // ---- helpers ----

  record Resp(int status, String contentType, JsonNode json, String raw) {
    String error() {
      return json.path("error").asText();
    }

    String message() {
      return json.path("message").asText();
    }
  }

  static Request signed(String client, long t) {
    return signedAs(client, client, CLUSTER, t, List.of("client-0", "client-1", "5"));
  }

  static Request signedAs(String client, String signer, String cluster, long t, List<String> args) {
    return Request.sign(cluster, new ClientId(client), t, "token", "transfer", args,
        payload -> FakeAuthenticator.signAs(signer, payload));
  }

  static ObjectNode bodyOf(Request r) {
    return JSON.valueToTree(TransactionBody.of(r));
  }

  Resp send(ServerBinding b, HttpRequest.Builder builder) throws Exception {
    int port = b.localAddress().getPort();
    HttpRequest req = builder.build();
    HttpRequest withHost = HttpRequest.newBuilder(req, (n, v) -> true)
        .uri(URI.create("http://127.0.0.1:" + port + req.uri().getPath()))
        .timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> r = http.send(withHost, HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.missingNode() : JSON.readTree(r.body());
    return new Resp(r.statusCode(), r.headers().firstValue("content-type").orElse(""), json,
        r.body());
  }

  Resp post(String body) throws Exception {
    return send(binding, HttpRequest.newBuilder(URI.create("http://x/transactions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Resp post(JsonNode body) throws Exception {
    return post(JSON.writeValueAsString(body));
  }

  Resp get(String path) throws Exception {
    return send(binding, HttpRequest.newBuilder(URI.create("http://x" + path)).GET());
  }

  void assertError(Resp r, int status, String code) {
    assertThat(r.status()).as(r.raw()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.error()).as(r.raw()).isEqualTo(code);
    assertThat(r.message()).isNotBlank();
    assertThat(r.json().size()).as("only error and message").isEqualTo(2);
  }

  void assertRejected(Resp r, int status, String code) {
    assertError(r, status, code);
    assertThat(facade.submitted).as("a rejected request never reaches the node").isEmpty();
  }

  static TxStatus committed(Request r, long height) {
    Reply reply = Reply.sign(CLUSTER, 0, r.timestamp(), r.client(), SELF, r.txId(), height,
        "VALID", "ok", AUTH);
    return new TxStatus(r.txId(), height, 0, ValidationCode.VALID, "ok", reply);
  }

  static Block block(long height, Digest previous, Request... txs) {
    List<BlockEntry> entries = Arrays.stream(txs)
        .map(r -> new BlockEntry(r, ValidationCode.VALID, "ok")).toList();
    BlockHeader header = new BlockHeader(height, previous, Digest.sha256(new byte[] {1}),
        Digest.sha256(new byte[] {2}), entries.size());
    return new Block(header, entries);
  }

  // ---- POST /transactions: success paths ----

  @Test
  void newRequestIsAccepted202AndHandedToTheNode() throws Exception {
    Request r = signed("client-0", 1);
    Resp resp = post(bodyOf(r));
    assertThat(resp.status()).as(resp.raw()).isEqualTo(202);
    assertThat(resp.contentType()).startsWith("application/json");
    assertThat(resp.json().get("txId").asText()).isEqualTo(r.txId());
    assertThat(resp.json().get("status").asText()).isEqualTo("ACCEPTED");
    assertThat(facade.submitted).containsExactly(r);
    assertThat(facade.submitted.get(0).signature()).isEqualTo(r.signature());
  }

  @Test
  void retransmissionOfACommittedRequestIsAnswered200FromTheChain() throws Exception {
    Request r = signed("client-1", 7);
    TxStatus status = committed(r, 3);
    facade.answers.put(r.txId(), new SubmitResult.AlreadyCommitted(status));
    Resp resp = post(bodyOf(r));
    assertThat(resp.status()).as(resp.raw()).isEqualTo(200);
    assertThat(resp.json().get("txId").asText()).isEqualTo(r.txId());
    assertThat(resp.json().get("blockHeight").asLong()).isEqualTo(3);
    assertThat(resp.json().get("validationCode").asText()).isEqualTo("VALID");
    JsonNode reply = resp.json().get("reply");
    assertThat(reply.get("replica").asText()).isEqualTo("node-0");
    assertThat(reply.get("client").asText()).isEqualTo("client-1");
    assertThat(Base64.getDecoder().decode(reply.get("signature").asText()))
        .isEqualTo(status.reply().signature());
    assertThat(JSON.treeToValue(resp.json(), TxStatus.class).reply()
        .verify(CLUSTER, AUTH)).isTrue();
  }

  @Test
  void conflictingRequestWithTheSameTxIdIs409() throws Exception {
    Request r = signed("client-0", 9);
    facade.answers.put(r.txId(),
        new SubmitResult.Conflict(r.txId(), "another request with (client-0, 9) is in block 2"));
    Resp resp = post(bodyOf(r));
    assertError(resp, 409, "DUPLICATE_TXID");
    assertThat(resp.message()).contains(r.txId()).contains("block 2");
  }

  // ---- POST /transactions: gateway rejections never reach the node ----

  @Test
  void unparseableJsonIs400Malformed() throws Exception {
    Resp resp = post("{\"clusterId\": \"bftlab-test\", ");
    assertRejected(resp, 400, "MALFORMED");
    assertThat(resp.message()).contains("not valid JSON");
  }

  @Test
  void emptyBodyAndNonObjectsAre400Malformed() throws Exception {
    assertRejected(post(""), 400, "MALFORMED");
    assertRejected(post("[1,2]"), 400, "MALFORMED");
    assertRejected(post("42"), 400, "MALFORMED");
    assertRejected(post(bodyOf(signed("client-0", 1)) + " trailing"), 400, "MALFORMED");
  }

  @Test
  void missingFieldIs400NamingTheField() throws Exception {
    for (String field : Gateway.FIELDS) {
      if (Gateway.OPTIONAL_FIELDS.contains(field)) {
        continue; // no read set: a blind write
      }
      ObjectNode body = bodyOf(signed("client-0", 1));
      body.remove(field);
      Resp resp = post(body);
      assertRejected(resp, 400, "MALFORMED");
      assertThat(resp.message()).contains("'" + field + "'");
    }
    ObjectNode nulled = bodyOf(signed("client-0", 1));
    nulled.putNull("contract");
    Resp resp = post(nulled);
    assertRejected(resp, 400, "MALFORMED");
    assertThat(resp.message()).contains("'contract'");
  }

  @Test
  void unknownFieldIs400NamingTheField() throws Exception {
    ObjectNode body = bodyOf(signed("client-0", 1));
    body.put("fee", 3);
    Resp resp = post(body);
    assertRejected(resp, 400, "MALFORMED");
    assertThat(resp.message()).contains("fee");
  }

  @Test
  void wrongTypesAre400NamingTheField() throws Exception {
    ObjectNode a = bodyOf(signed("client-0", 1));
    a.put("timestamp", "one");
    ObjectNode b = bodyOf(signed("client-0", 1));
    b.put("timestamp", "1");
    ObjectNode c = bodyOf(signed("client-0", 1));
    c.put("timestamp", 1.5);
    ObjectNode d = bodyOf(signed("client-0", 1));
    d.putArray("args").add(5);
    ObjectNode e = bodyOf(signed("client-0", 1));
    e.put("args", "client-0");
    ObjectNode f = bodyOf(signed("client-0", 1));
    f.putObject("contract");
    ObjectNode g = bodyOf(signed("client-0", 1));
    g.put("signature", "not base64 !!");
    ObjectNode h = bodyOf(signed("client-0", 1));
    h.put("timestamp", -1);
    for (var entry : List.of(List.of(a, "timestamp"), List.of(b, "timestamp"),
        List.of(c, "timestamp"), List.of(d, "args"), List.of(e, "args"), List.of(f, "contract"),
        List.of(g, "signature"), List.of(h, "timestamp"))) {
      Resp resp = post((JsonNode) entry.get(0));
      assertRejected(resp, 400, "MALFORMED");
      assertThat(resp.message()).as(resp.raw()).contains((String) entry.get(1));
    }
  }

  @Test
  void invalidClientIdIs400Malformed() throws Exception {
    ObjectNode body = bodyOf(signed("client-0", 1));
    body.put("client", "client zero!");
    Resp resp = post(body);
    assertRejected(resp, 400, "MALFORMED");
    assertThat(resp.message()).contains("client");
  }

  @Test
  void badContractNameIs400Malformed() throws Exception {
    Request r = Request.sign(CLUSTER, new ClientId("client-0"), 1, "Token!", "transfer",
        List.of(), p -> FakeAuthenticator.signAs("client-0", p));
    Resp resp = post(bodyOf(r));
    assertRejected(resp, 400, "MALFORMED");
    assertThat(resp.message()).contains("contract name");
  }

  @Test
  void wrongClusterIs400WrongCluster() throws Exception {
    Request r = signedAs("client-0", "client-0", "other-cluster", 1, List.of());
    Resp resp = post(bodyOf(r));
    assertRejected(resp, 400, "WRONG_CLUSTER");
    assertThat(resp.message()).contains("other-cluster").contains(CLUSTER);
  }

  @Test
  void unknownClientIs403() throws Exception {
    Request r = signed("client-9", 1);
    Resp resp = post(bodyOf(r));
    assertRejected(resp, 403, "UNKNOWN_CLIENT");
    assertThat(resp.message()).contains("client-9");
  }

  @Test
  void badSignatureIs401() throws Exception {
    Request forged = signedAs("client-0", "client-1", CLUSTER, 1, List.of("client-0", "x", "5"));
    assertRejected(post(bodyOf(forged)), 401, "BAD_SIGNATURE");

    Request tampered = signed("client-0", 1);
    ObjectNode body = bodyOf(tampered);
    body.putArray("args").add("client-0").add("client-1").add("500");
    assertRejected(post(body), 401, "BAD_SIGNATURE");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    ObjectNode body = bodyOf(signed("client-0", 1));
    body.put("operation", "x".repeat(3000));
    Resp resp = post(body);
    assertRejected(resp, 413, "TOO_LARGE");
    assertThat(resp.message()).contains("2048");
  }

  @Test
  void oversizedChunkedBodyIs413() throws Exception {
    ObjectNode body = bodyOf(signed("client-0", 1));
    body.put("operation", "x".repeat(3000));
    byte[] bytes = JSON.writeValueAsBytes(body);
    Resp resp = send(binding, HttpRequest.newBuilder(URI.create("http://x/transactions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    assertRejected(resp, 413, "TOO_LARGE");
  }

  @Test
  void requestOverMaxRequestBytesIs413EvenWhenTheBodyFits() throws Exception {
    Request r = signedAs("client-0", "client-0", CLUSTER, 1, List.of("y".repeat(1100)));
    assertThat(r.canonicalSize()).isGreaterThan(PARAMS.maxRequestBytes());
    String json = JSON.writeValueAsString(bodyOf(r));
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
    Resp resp = post(json);
    assertRejected(resp, 413, "TOO_LARGE");
    assertThat(resp.message()).contains("1024");
  }

  // ---- GET /transactions/{txId} ----

  @Test
  void transactionStatusOr404() throws Exception {
    Request r = signed("client-0", 4);
    facade.transactions.put(r.txId(), committed(r, 2));
    Resp ok = get("/transactions/" + r.txId());
    assertThat(ok.status()).isEqualTo(200);
    for (String f : List.of("txId", "blockHeight", "txIndex", "validationCode", "result", "reply")) {
      assertThat(ok.json().has(f)).as(f).isTrue();
    }
    for (String f : List.of("view", "timestamp", "client", "replica", "txId", "blockHeight",
        "validationCode", "result", "signature")) {
      assertThat(ok.json().get("reply").has(f)).as(f).isTrue();
    }
    assertThat(ok.json().get("blockHeight").asLong()).isEqualTo(2);
    assertError(get("/transactions/" + "ab".repeat(32)), 404, "NOT_FOUND");
  }

  // ---- GET /blocks ----

  @Test
  void blocksByHeightAndHead() throws Exception {
    Request r = signed("client-0", 1);
    Block b1 = block(1, Digest.ZERO, r);
    Block b2 = block(2, b1.hash());
    facade.blocks.put(1L, b1);
    facade.blocks.put(2L, b2);

    Resp one = get("/blocks/1");
    assertThat(one.status()).as(one.raw()).isEqualTo(200);
    JsonNode j = one.json();
    assertThat(j.get("height").asLong()).isEqualTo(1);
    assertThat(j.get("hash").asText()).isEqualTo(b1.hash().hex());
    assertThat(j.get("previousHash").asText()).isEqualTo(Digest.ZERO.hex());
    assertThat(j.get("merkleRoot").asText()).hasSize(64);
    assertThat(j.get("resultsDigest").asText()).hasSize(64);
    assertThat(j.get("txCount").asInt()).isEqualTo(1);
    JsonNode tx = j.get("transactions").get(0);
    assertThat(tx.get("txId").asText()).isEqualTo(r.txId());
    assertThat(tx.get("client").asText()).isEqualTo("client-0");
    assertThat(tx.get("timestamp").asLong()).isEqualTo(1);
    assertThat(tx.get("contract").asText()).isEqualTo("token");
    assertThat(tx.get("operation").asText()).isEqualTo("transfer");
    assertThat(tx.get("args")).hasSize(3);
    assertThat(tx.get("validationCode").asText()).isEqualTo("VALID");
    assertThat(tx.get("result").asText()).isEqualTo("ok");
    assertThat(JSON.treeToValue(j, BlockView.class)).isEqualTo(BlockView.of(b1));

    Resp head = get("/blocks/head");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.json().get("height").asLong()).isEqualTo(2);
    assertThat(head.json().get("previousHash").asText()).isEqualTo(b1.hash().hex());
    assertThat(head.json().get("transactions")).isEmpty();
  }

  @Test
  void absentBlocksAre404AndBadHeights400() throws Exception {
    assertError(get("/blocks/head"), 404, "NOT_FOUND");
    assertError(get("/blocks/5"), 404, "NOT_FOUND");
    assertError(get("/blocks/abc"), 400, "MALFORMED");
    assertError(get("/blocks/0"), 400, "MALFORMED");
    assertError(get("/blocks/-3"), 400, "MALFORMED");
    assertError(get("/blocks/99999999999999999999999"), 400, "MALFORMED");
  }

  // ---- GET /status, /state, /health ----

  @Test
  void statusIsTheNodeStatus() throws Exception {
    facade.status = new NodeStatus(SELF, CLUSTER, 5, new NodeId(1), 12, 12, Digest.ZERO, 0, 32, 0, false, 5);
    Resp resp = get("/status");
    assertThat(resp.status()).isEqualTo(200);
    assertThat(resp.json().get("nodeId").asText()).isEqualTo("node-0");
    assertThat(resp.json().get("primary").asText()).isEqualTo("node-1");
    assertThat(resp.json().get("view").asLong()).isEqualTo(5);
    assertThat(resp.json().get("headHash").asText()).isEqualTo(Digest.ZERO.hex());
    assertThat(JSON.treeToValue(resp.json(), NodeStatus.class)).isEqualTo(facade.status);
  }

  @Test
  void stateEntryOr404() throws Exception {
    StateEntry e = new StateEntry("token", "client-0", "95", new Version(3, 1));
    facade.state.put("token/client-0", e);
    Resp ok = get("/state/token/client-0");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(JSON.treeToValue(ok.json(), StateEntry.class)).isEqualTo(e);
    assertThat(ok.json().get("version").get("blockHeight").asLong()).isEqualTo(3);
    assertError(get("/state/token/client-7"), 404, "NOT_FOUND");
  }

  @Test
  void healthIsUp() throws Exception {
    Resp resp = get("/health");
    assertThat(resp.status()).isEqualTo(200);
    assertThat(resp.json().get("status").asText()).isEqualTo("UP");
    assertThat(resp.json().get("nodeId").asText()).isEqualTo("node-0");
  }

  @Test
  void unknownRoutesAndMethodsAreJsonErrors() throws Exception {
    assertError(get("/nope"), 404, "NOT_FOUND");
    assertError(get("/transactions"), 405, "METHOD_NOT_ALLOWED");
    Resp del = send(binding, HttpRequest.newBuilder(URI.create("http://x/status")).DELETE());
    assertError(del, 405, "METHOD_NOT_ALLOWED");
  }

  // ---- failures of the node ----

  @Test
  void unexpectedExceptionsAre500AndTheNodeKeepsServing() throws Exception {
    Resp thrown = get("/state/token/boom");
    assertError(thrown, 500, "INTERNAL");
    assertThat(thrown.message()).contains("state store exploded");
    Resp failed = get("/state/token/fail");
    assertError(failed, 500, "INTERNAL");
    assertThat(failed.message()).contains("stage failed");
    facade.status = null; // a facade answering null
    assertError(get("/status"), 500, "INTERNAL");
    assertThat(get("/health").status()).isEqualTo(200);
  }

  /** A request to /admin/faults signed by admin-0 for this node (node-0). */
  HttpRequest.Builder admin(String method, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://x/admin/faults"))
        .header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(bytes));
    ADMIN.sign("admin-0", ADMIN.admin, SELF.toString(), method, "/admin/faults",
        System.currentTimeMillis(), bytes).forEach(b::header);
    return b;
  }

  @Test
  void adminFaultsAreInstalledListedAndHealedBySignedRequests() throws Exception {
    Resp put = send(binding, admin("PUT",
        "[{\"rule\":\"drop\",\"probability\":1.0,\"types\":[\"COMMIT\"],\"until\":500}]"));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("rules").asText()).contains("Drop");
    assertThat(facade.faults).hasSize(1);
    assertThat(send(binding, admin("GET", "")).json().get("rules").asText()).contains("Drop");
    assertError(send(binding, admin("PUT", "[{\"rule\":\"teleport\"}]")), 400, "MALFORMED");
    assertThat(facade.faults).as("a bad rule changes nothing").hasSize(1);
    Resp healed = send(binding, admin("DELETE", ""));
    assertThat(healed.status()).isEqualTo(200);
    assertThat(facade.faults).isEmpty();
  }

  @Test
  void unsignedOrClientSignedAdminRequestsChangeNothing() throws Exception {
    String rules = "[{\"rule\":\"drop\",\"probability\":1.0}]";
    assertError(send(binding, HttpRequest.newBuilder(URI.create("http://x/admin/faults"))
        .PUT(HttpRequest.BodyPublishers.ofString(rules))), 401, "UNAUTHENTICATED");
    HttpRequest.Builder byClient = HttpRequest.newBuilder(URI.create("http://x/admin/faults"))
        .PUT(HttpRequest.BodyPublishers.ofString(rules));
    ADMIN.sign("client-0", ADMIN.client, SELF.toString(), "PUT", "/admin/faults",
        System.currentTimeMillis(), rules.getBytes(StandardCharsets.UTF_8))
        .forEach(byClient::header);
    assertError(send(binding, byClient), 403, "NOT_ADMIN");
    HttpRequest.Builder replayed = admin("PUT", rules);
    assertThat(send(binding, replayed).status()).isEqualTo(200);
    facade.faults = List.of();
    assertError(send(binding, replayed), 401, "REPLAYED");
    assertThat(facade.faults).as("nothing installed by a refused request").isEmpty();
    assertError(send(binding, HttpRequest.newBuilder(URI.create("http://x/admin/faults"))
        .DELETE()), 401, "UNAUTHENTICATED");
    // an admin body over the 64 KiB limit is refused before anything is checked
    assertError(send(binding, admin("PUT", "[" + " ".repeat(70_000) + "]")), 413, "TOO_LARGE");
  }

  @Test
  void controlCharactersInNamesAreRefusedButAllowedInAKvValue() throws Exception {
    Request bad = signedAs("client-0", "client-0", CLUSTER, 77,
        List.of("client-0", "client-1\u0000", "5"));
    Resp r = send(binding, HttpRequest.newBuilder(URI.create("http://x/transactions"))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(bodyOf(bad)))));
    assertError(r, 400, "MALFORMED");
    assertThat(r.message()).contains("args[1]").contains("U+0000");
    Request value = Request.sign(CLUSTER, new ClientId("client-0"), 78, "kv", "put",
        List.of("k", "line 1\nline 2"), p -> FakeAuthenticator.signAs("client-0", p));
    assertThat(send(binding, HttpRequest.newBuilder(URI.create("http://x/transactions"))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(bodyOf(value)))))
        .status()).isEqualTo(202);
  }

  @Test
  void withoutAdminsInTheGenesisTheAdminRoutesAreOff() throws Exception {
    Resp r = send(hangingBinding, HttpRequest.newBuilder(URI.create("http://x/admin/faults")).GET());
    assertError(r, 404, "NOT_FOUND");
    assertThat(r.message()).contains("lists no admins");
  }

  @Test
  void aNodeThatNeverAnswersIs503() throws Exception {
    Request r = signed("client-0", 1);
    Resp submit = send(hangingBinding, HttpRequest.newBuilder(URI.create("http://x/transactions"))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(bodyOf(r)))));
    assertError(submit, 503, "UNAVAILABLE");
    assertThat(hanging.submitted).containsExactly(r);
    assertError(send(hangingBinding, HttpRequest.newBuilder(URI.create("http://x/status")).GET()),
        503, "UNAVAILABLE");
    assertError(send(hangingBinding,
        HttpRequest.newBuilder(URI.create("http://x/blocks/head")).GET()), 503, "UNAVAILABLE");
    assertThat(send(hangingBinding,
        HttpRequest.newBuilder(URI.create("http://x/health")).GET()).status()).isEqualTo(200);
  }

  @Test
  void aTimeoutReportedByTheNodeIs503() throws Exception {
    NodeFacade timingOut = new FakeNodeFacade(facade.info) {
      @Override
      public CompletionStage<NodeStatus> status() {
        return CompletableFuture.failedFuture(
            new TimeoutException("ask timed out"));
      }
    };
    ServerBinding b = HttpApi.bind(system, "127.0.0.1", 0, timingOut, PARAMS, AUTH)
        .toCompletableFuture().join();
    try {
      assertError(send(b, HttpRequest.newBuilder(URI.create("http://x/status")).GET()),
          503, "UNAVAILABLE");
    } finally {
      b.unbind().toCompletableFuture().join();
    }
  }

  /** A node that never answers. */
  static final class HangingFacade extends FakeNodeFacade {
    HangingFacade(NodeInfo info) {
      super(info);
    }

    @Override
    public CompletionStage<SubmitResult> submit(Request request) {
      submitted.add(request);
      return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<Optional<Block>> head() {
      return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<NodeStatus> status() {
      return new CompletableFuture<>();
    }
  }
}
