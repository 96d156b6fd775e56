package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bftlab.api.BlockView;
import org.bftlab.api.ErrorBody;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.TransactionBody;
import org.bftlab.api.TxStatus;
import org.bftlab.bench.CountingHttpClient;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.client.LoadReport;
import org.bftlab.client.ReplySubscription;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.crypto.Ed25519;
import org.bftlab.workload.Workload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four nodes in one JVM ({@link LocalCluster}), a seeded signed workload through the real client
 * path ({@link BftlabClient} + {@code LoadGenerator}, as {@code bftlab demo} does): every
 * transaction is confirmed by f+1 replicas with its expected validation code, and every node
 * ends with the same blocks, chained by hash. Then, on the same running cluster, the live
 * gateway refuses every kind of bad input with its HTTP error and none of them reaches the chain
 * (the live-gateway test).
 *
 * <p>One cluster for both tests keeps the run short (cluster formation alone takes 10-20 s on
 * this machine); the second test does not depend on the first's outcome.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class InJvmClusterTest {
  private static final int NODES = 4;
  private static final int TRANSACTIONS = 240;
  private static final int CONCURRENCY = 16;

  private LocalCluster cluster;
  private List<BftlabClient> clients;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cluster = ClusterSupport.startNew(dir, NODES, 2, "bftlab-test");
    clients = ClusterSupport.clients(cluster);
  }

  @AfterAll
  void stop() {
    if (clients != null) {
      clients.forEach(BftlabClient::close);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void workloadCommitsWithExpectedCodesAndEveryNodeHoldsTheSameHashChain() throws Exception {
    long seed = Long.getLong("bftlab.test.seed", System.nanoTime());
    log("InJvmClusterTest seed = %d (rerun with -Dbftlab.test.seed=%d)", seed, seed);
    List<ClientId> ids = clients.stream().map(BftlabClient::clientId).toList();
    Workload workload = Workload.generate(seed, ids, TRANSACTIONS);
    LoadReport report = ClusterSupport.runWorkload(clients, workload, CONCURRENCY);

    // --- the client's view: every transaction has an f+1-confirmed outcome
    int mints = workload.count(Workload.Kind.MINT);
    int transfers = workload.count(Workload.Kind.TRANSFER);
    int overdrafts = workload.count(Workload.Kind.OVERDRAFT);
    assertThat(overdrafts).as("the workload has overdrafts").isPositive();
    assertThat(report.submitted()).as("submitted").isEqualTo(TRANSACTIONS);
    assertThat(report.timedOut()).as("timed out (%s)", report.byKind()).isZero();
    Map<String, Long> replay = report.byKind().get(Workload.Kind.REPLAY.name());
    boolean replayAtGateway = replay.containsKey("gateway:DUPLICATE_TXID");
    // The replay is the only transaction a gateway may refuse (409 when its original was
    // already committed); every other one must be confirmed by f+1 replicas.
    assertThat(report.rejectedAtGateway()).as("rejected at the gateway")
        .isEqualTo(replayAtGateway ? Map.of("DUPLICATE_TXID", 1L) : Map.of());
    assertThat(report.committed()).as("committed (f+1) = submitted%s",
        replayAtGateway ? " - the replay refused at the gateway" : "")
        .isEqualTo(report.submitted() - (replayAtGateway ? 1 : 0));
    assertThat(report.byKind().get("MINT")).isEqualTo(Map.of("VALID", (long) mints));
    assertThat(report.byKind().get("TRANSFER")).isEqualTo(Map.of("VALID", (long) transfers));
    assertThat(report.byKind().get("OVERDRAFT"))
        .as("overdrafts flagged CONTRACT_REJECTED")
        .isEqualTo(Map.of("CONTRACT_REJECTED", (long) overdrafts));
    assertThat(replay).as("the replay caught as DUPLICATE_TXID (%s)", report.replay())
        .isIn(Map.of("DUPLICATE_TXID", 1L), Map.of("gateway:DUPLICATE_TXID", 1L));

    // --- the nodes' view: same head everywhere, same blocks, one hash chain
    List<NodeStatus> heads = ClusterSupport.awaitSameHeads(clients.get(0), NODES, 1);
    long height = heads.get(0).height();
    log("heads after the workload: %s", ClusterSupport.describe(heads));
    List<BlockView> chain = ClusterSupport.verifyChain(cluster.httpUrls(), height,
        heads.get(0).headHash());
    log("blocks 1..%d identical on all %d nodes and chained; head %s", height, NODES,
        heads.get(0).headHash());

    // --- the chain holds exactly the workload: each step once, with its expected code
    List<BlockView.Transaction> txs = chain.stream()
        .flatMap(b -> b.transactions().stream()).toList();
    Map<ValidationCode, Long> codes = txs.stream()
        .collect(Collectors.groupingBy(BlockView.Transaction::validationCode,
            Collectors.counting()));
    log("transactions in the chain by code: %s", codes);
    // The replay (same (client, t) as its original, another payload) is executed never: the
    // primary drops it while the original is pending or ordered (AgreementCore.queue), block
    // commit flags it DUPLICATE_TXID if it is ordered anyway, or the gateway answers 409 once the
    // original is committed. So the chain holds at most one DUPLICATE_TXID entry: the replay.
    long duplicates = codes.getOrDefault(ValidationCode.DUPLICATE_TXID, 0L);
    assertThat(duplicates).as("DUPLICATE_TXID entries in the chain").isBetween(0L,
        replayAtGateway ? 0L : 1L);
    Map<ValidationCode, Long> expectedCodes = new HashMap<>();
    expectedCodes.put(ValidationCode.VALID, (long) mints + transfers);
    expectedCodes.put(ValidationCode.CONTRACT_REJECTED, (long) overdrafts);
    if (duplicates > 0) {
      expectedCodes.put(ValidationCode.DUPLICATE_TXID, duplicates);
    }
    assertThat(codes).as("validation codes in the chain").isEqualTo(expectedCodes);
    assertThat(txs.stream().filter(t -> t.validationCode() != ValidationCode.DUPLICATE_TXID)
        .map(BlockView.Transaction::txId).distinct().count())
        .as("distinct txIds executed").isEqualTo((long) mints + transfers + overdrafts);
    Function<List<String>, String> key = l -> String.join("|", l);
    Map<String, Long> inChain = txs.stream()
        .filter(t -> t.validationCode() != ValidationCode.DUPLICATE_TXID)
        .collect(Collectors.groupingBy(t -> t.client().value() + " " + t.operation() + " "
            + key.apply(t.args()), Collectors.counting()));
    Map<String, Long> inWorkload = workload.steps().stream()
        .filter(s -> s.kind() != Workload.Kind.REPLAY)
        .collect(Collectors.groupingBy(s -> ids.get(s.clientIndex()).value() + " "
            + s.operation() + " " + key.apply(s.args()), Collectors.counting()));
    assertThat(inChain).as("executed transactions = the workload's steps").isEqualTo(inWorkload);
    Workload.Step r = workload.replay();
    assertThat(txs.stream().filter(t -> t.validationCode() == ValidationCode.DUPLICATE_TXID))
        .as("every DUPLICATE_TXID entry in the chain is the replay")
        .allMatch(t -> t.client().equals(ids.get(r.clientIndex())) && t.args().equals(r.args()));
    log("replay: %s; %d DUPLICATE_TXID entr%s in the chain", report.replay(), duplicates,
        duplicates == 1 ? "y" : "ies");
  }

  /**
   * Raw JSON against node-1's {@code POST /transactions}: every gateway error with its status and
   * code, a retransmission answered from the chain, and afterwards every node's head unchanged;
   * then one valid transaction grows every chain by exactly one block holding only it.
   */
  @Test
  @Order(2)
  void liveGatewayRefusesBadInputsAndNoneReachesTheChain() throws Exception {
    BftlabClient c0 = clients.get(0);
    ClientId id = c0.clientId();
    String clusterId = cluster.genesis().clusterId();
    Ed25519.SigningKey key = ClusterSupport.signer(cluster, id);
    Ed25519.SigningKey otherKey = ClusterSupport.signer(cluster, clients.get(1).clientId());
    URI node1 = cluster.httpUrls().get(1);
    String account = id.value();

    // an original, committed by f+1, that the replay below reuses the (client, t) of
    Request original = c0.newRequest("token", "mint", account, "7");
    CommittedTx committed = c0.submitAndAwait(original, ClusterSupport.COMMIT_TIMEOUT)
        .get(90, TimeUnit.SECONDS);
    assertThat(committed.validationCode()).isEqualTo(ValidationCode.VALID);
    List<NodeStatus> before = ClusterSupport.awaitSameHeads(c0, NODES, committed.blockHeight());
    log("gateway test: heads before the bad inputs %s", ClusterSupport.describe(before));

    long t = c0.peekNextTimestamp() + 1_000_000; // fresh (client, t) for every bad request
    expectError(node1, "{\"clusterId\": \"" + clusterId + "\", \"client\": ", 400, "MALFORMED");
    expectError(node1, "this is not JSON", 400, "MALFORMED");
    expectError(node1, "[1, 2, 3]", 400, "MALFORMED");
    expectError(node1, body(Request.sign("another-cluster", id, t++, "token", "mint",
        List.of(account, "1"), key::sign)), 400, "WRONG_CLUSTER");
    expectError(node1, body(Request.sign(clusterId, id, t++, "token", "mint",
        List.of(account, "1"), otherKey::sign)), 401, "BAD_SIGNATURE");
    Request flipped = Request.sign(clusterId, id, t++, "token", "mint", List.of(account, "1"),
        key::sign);
    byte[] sig = flipped.signature().clone();
    sig[0] ^= 1;
    expectError(node1, body(flipped.withSignature(sig)), 401, "BAD_SIGNATURE");
    Ed25519.SigningKey stranger = Ed25519.signingKey(
        Ed25519.generate(new SecureRandom()).privateKey());
    expectError(node1, body(Request.sign(clusterId, new ClientId("client-99"), t++, "token",
        "mint", List.of("client-99", "1"), stranger::sign)), 403, "UNKNOWN_CLIENT");
    // canonical size over maxRequestBytes (64 KiB), body under the 128 KiB body limit
    expectError(node1, body(Request.sign(clusterId, id, t++, "kv", "put",
        List.of("big", "x".repeat(70 * 1024)), key::sign)), 413, "TOO_LARGE");
    // body over the 128 KiB body limit
    expectError(node1, body(Request.sign(clusterId, id, t++, "kv", "put",
        List.of("big", "x".repeat(200 * 1024)), key::sign)), 413, "TOO_LARGE");
    // replay: same (client, t) as the committed original, another payload
    expectError(node1, body(Request.sign(clusterId, id, original.timestamp(), "token", "mint",
        List.of(account, "8"), key::sign)), 409, "DUPLICATE_TXID");
    // the identical request again is a retransmission: answered 200 from the chain
    HttpResponse<String> again = ClusterSupport.post(node1, "/transactions", body(original));
    assertThat(again.statusCode()).as("retransmission: %s", again.body()).isEqualTo(200);
    TxStatus status = ClusterSupport.JSON.readValue(again.body(), TxStatus.class);
    assertThat(status.txId()).isEqualTo(original.txId());
    assertThat(status.blockHeight()).isEqualTo(committed.blockHeight());

    List<NodeStatus> after = ClusterSupport.statuses(c0);
    log("gateway test: heads after the bad inputs  %s", ClusterSupport.describe(after));
    assertThat(after).hasSize(NODES);
    for (int i = 0; i < NODES; i++) {
      assertThat(after.get(i).height()).as("%s height", after.get(i).nodeId())
          .isEqualTo(before.get(i).height());
      assertThat(after.get(i).headHash()).as("%s head", after.get(i).nodeId())
          .isEqualTo(before.get(i).headHash());
    }

    // one valid transaction last: every chain grows by exactly one block holding only it
    Request last = c0.newRequest("token", "mint", account, "9");
    CommittedTx lastTx = c0.submitAndAwait(last, ClusterSupport.COMMIT_TIMEOUT)
        .get(90, TimeUnit.SECONDS);
    long h = before.get(0).height() + 1;
    assertThat(lastTx.blockHeight()).as("height of the last transaction").isEqualTo(h);
    List<NodeStatus> end = ClusterSupport.awaitSameHeads(c0, NODES, h);
    log("gateway test: heads after one valid transaction %s", ClusterSupport.describe(end));
    assertThat(end.get(0).height()).as("exactly one block more").isEqualTo(h);
    for (URI node : cluster.httpUrls()) {
      BlockView b = ClusterSupport.block(node, h);
      assertThat(b.previousHash()).as("block %d on %s chains to the old head", h, node)
          .isEqualTo(before.get(0).headHash());
      assertThat(b.hash()).isEqualTo(end.get(0).headHash());
      assertThat(b.transactions()).as("block %d on %s holds only the last transaction", h, node)
          .extracting(BlockView.Transaction::txId).containsExactly(last.txId());
    }
  }

  /**
   * Replies by push (issue 9 item 2): with a {@link ReplySubscription} open, transactions POSTed
   * once to one node are confirmed by f+1 matching, validly signed pushed REPLYs — no GET at all;
   * a transaction awaited only after it executed is still confirmed (asked once per node).
   */
  @Test
  @Order(3)
  void pushedRepliesConfirmEachTransactionWithoutPolling() throws Exception {
    BftlabClient c1 = clients.get(1);
    ClientId id = c1.clientId();
    var genesis = cluster.genesis();
    var verifier = org.bftlab.crypto.GenesisAuthenticator.forClientsAndReplicasOnly(genesis);
    Ed25519.SigningKey key = ClusterSupport.signer(cluster, id);
    URI node2 = cluster.httpUrls().get(2);
    try (ReplySubscription sub = ReplySubscription.open(ClusterSupport.HTTP, cluster.httpUrls(),
        id, genesis.f(), r -> r.verify(genesis.clusterId(), verifier), Duration.ofSeconds(10))) {
      assertThat(sub.unreachable()).isEmpty();
      long t = c1.peekNextTimestamp() + 2_000_000;
      List<Request> sent = new java.util.ArrayList<>();
      List<java.util.concurrent.CompletableFuture<CommittedTx>> outcomes =
          new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Request r = Request.sign(genesis.clusterId(), id, t++, "kv", "put",
            List.of("push-" + i, "v" + i), key::sign);
        sent.add(r);
        outcomes.add(sub.await(r.txId()));
        assertThat(ClusterSupport.post(node2, "/transactions", body(r)).statusCode())
            .isEqualTo(202);
      }
      for (int i = 0; i < sent.size(); i++) {
        CommittedTx tx = outcomes.get(i).get(60, TimeUnit.SECONDS);
        assertThat(tx.txId()).isEqualTo(sent.get(i).txId());
        assertThat(tx.validationCode()).isEqualTo(ValidationCode.VALID);
        assertThat(tx.confirmedBy()).hasSizeGreaterThanOrEqualTo(genesis.f() + 1)
            .doesNotHaveDuplicates();
      }
      // awaited after it executed: answered from each node's committed index on request
      CommittedTx late = sub.await(sent.get(0).txId()).get(30, TimeUnit.SECONDS);
      assertThat(late.blockHeight()).isEqualTo(outcomes.get(0).get().blockHeight());
      log("push: 20 transactions confirmed by pushed replies, e.g. %s by %s", late.txId(),
          late.confirmedBy());
    }
  }

  /**
   * The client itself takes its outcomes by push (issue 9 item 2): a {@link BftlabClient} with a
   * reply verifier opens its reply subscription in the background and then confirms every
   * transaction with no HTTP request at all — it submits each on the reply socket of one node
   * (acknowledged there as a POST would be) and takes f+1 matching signed REPLYs pushed by the
   * replicas.
   */
  @Test
  @Order(4)
  void theClientSubmitsAndConfirmsOnItsReplySocketsWithNoHttpRequestPerTransaction()
      throws Exception {
    var genesis = cluster.genesis();
    ClientId id = clients.get(0).clientId();
    CountingHttpClient http = new CountingHttpClient(BftlabClient.newHttpClient(
        Duration.ofSeconds(5)));
    // a grace far beyond any commit here: a GET would mean push failed, not that it was slow
    try (BftlabClient c = new BftlabClient(genesis.clusterId(), id,
        ClusterSupport.signer(cluster, id)::sign, cluster.httpUrls(), genesis.f(),
        Duration.ofSeconds(120), BftlabClient.Options.defaults().withHttpClient(http)
            .withReplyVerifier(org.bftlab.client.ReplyVerifier.fromGenesis(genesis))
            .withPushGrace(Duration.ofSeconds(50)).withInitialTimestamp(
                clients.get(0).peekNextTimestamp() + 4_000_000))) {
      assertThat(c.awaitRepliesByPush(Duration.ofSeconds(30)))
          .as("the reply subscription opens (f+1 reply sockets)").isTrue();
      List<java.util.concurrent.CompletableFuture<CommittedTx>> outcomes =
          new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        outcomes.add(c.submitAndAwait(c.newRequest("kv", "put", "pushed-" + i, "v" + i),
            Duration.ofSeconds(120)));
      }
      for (var o : outcomes) {
        CommittedTx tx = o.get(120, TimeUnit.SECONDS);
        assertThat(tx.validationCode()).isEqualTo(ValidationCode.VALID);
        assertThat(tx.confirmedBy()).hasSizeGreaterThanOrEqualTo(genesis.f() + 1);
        assertThat(tx.retransmitted()).isFalse();
      }
      log("client by push: 20 transactions, %d POST, %d GET /transactions",
          http.count("POST", "/transactions"), http.count("GET", "/transactions"));
      assertThat(http.count("POST", "/transactions")).as("submitted on the reply sockets")
          .isZero();
      assertThat(http.count("GET", "/transactions")).as("no polling").isZero();
    }
  }

  /** POSTs {@code body} to {@code node}/transactions and checks the error status and code. */
  private static void expectError(URI node, String body, int status, String code)
      throws Exception {
    HttpResponse<String> r = ClusterSupport.post(node, "/transactions", body);
    String shown = body.length() > 80 ? body.substring(0, 80) + "… (" + body.length()
        + " chars)" : body;
    log("POST %s -> %d %s", shown, r.statusCode(), r.body().length() > 160
        ? r.body().substring(0, 160) + "…" : r.body());
    assertThat(r.statusCode()).as("status for %s: %s", shown, r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).as("Content-Type")
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    ErrorBody e = ClusterSupport.JSON.readValue(r.body(), ErrorBody.class);
    assertThat(e.error()).as("error code for %s", shown).isEqualTo(code);
    assertThat(e.message()).as("error message").isNotBlank();
  }

  private static String body(Request request) throws Exception {
    return ClusterSupport.JSON.writeValueAsString(TransactionBody.of(request));
  }
}
