package org.bftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.TxStatus;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BftlabClientTest {
  private static final String CLUSTER = "bftlab-test";
  private static final Duration LONG = Duration.ofSeconds(10);

  private FakeCluster cluster;
  private final List<BftlabClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new FakeCluster(4);
  }

  @AfterEach
  void stop() {
    clients.forEach(BftlabClient::close);
    cluster.close();
  }

  private BftlabClient client(BftlabClient.Options options) {
    return client(cluster.uris(), options);
  }

  private BftlabClient client(List<URI> nodes, BftlabClient.Options options) {
    BftlabClient c = new BftlabClient(CLUSTER, new ClientId("client-0"), FakeCluster::sign, nodes,
        1, LONG, options.withInitialTimestamp(1000)
            .withPolling(Duration.ofMillis(5), Duration.ofMillis(20)));
    clients.add(c);
    return c;
  }

  private BftlabClient client() {
    return client(BftlabClient.Options.defaults());
  }

  @Test
  void aClientWithoutAReplyVerifierNeverWaitsForPush() throws Exception {
    // no verifier: unsigned replies are never counted, so it polls and has nothing to wait for
    long start = System.nanoTime();
    assertThat(client().awaitRepliesByPush(Duration.ofSeconds(30))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void newRequestStampsStrictlyIncreasingTimestampsAcrossThreads() throws Exception {
    BftlabClient c = client();
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      all.add(CompletableFuture.runAsync(() -> {
        long last = -1;
        for (int i = 0; i < 500; i++) {
          Request r = c.newRequest("token", "balance", "client-0");
          assertThat(r.timestamp()).isGreaterThan(last);
          last = r.timestamp();
          seen.add(r.timestamp());
        }
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(seen).hasSize(4000).allMatch(t -> t >= 1000 && t < 5000);
    Request r = c.newRequest("token", "mint", "client-0", "5");
    assertThat(r.timestamp()).isEqualTo(5000);
    assertThat(r.signature()).isEqualTo(FakeCluster.sign(r.signedBytes()));
    assertThat(r.clusterId()).isEqualTo(CLUSTER);
  }

  @Test
  void committedOnceFPlusOneNodesMatch() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");
    cluster.node(1).commit(r.txId(), 3, ValidationCode.VALID, "5");
    cluster.node(2).commit(r.txId(), 3, ValidationCode.VALID, "5");

    CommittedTx tx = c.awaitCommitted(r, LONG).get(10, TimeUnit.SECONDS);

    assertThat(tx.txId()).isEqualTo(r.txId());
    assertThat(tx.blockHeight()).isEqualTo(3);
    assertThat(tx.validationCode()).isEqualTo(ValidationCode.VALID);
    assertThat(tx.result()).isEqualTo("5");
    assertThat(tx.confirmedBy()).containsExactly("node-1", "node-2");
    assertThat(tx.dissent()).isEmpty();
    assertThat(tx.retransmitted()).isFalse();
  }

  @Test
  void onlyFMatchingIsNotEnoughThenAnotherAgreeingNodeCommits() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "transfer", "client-0", "client-1", "5");
    cluster.node(0).commit(r.txId(), 4, ValidationCode.VALID, "ok");
    cluster.node(3).commit(r.txId(), 4, ValidationCode.VALID, "lie"); // the liar

    CompletableFuture<CommittedTx> f = c.awaitCommitted(r, LONG);
    // node-1 and node-2 lag: wait until each was polled (and said 404) at least three times.
    assertThat(cluster.node(1).polls.tryAcquire(3, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(cluster.node(2).polls.tryAcquire(3, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(f).isNotDone();

    cluster.node(2).commit(r.txId(), 4, ValidationCode.VALID, "ok");
    CommittedTx tx = f.get(10, TimeUnit.SECONDS);

    assertThat(tx.result()).isEqualTo("ok");
    assertThat(tx.confirmedBy()).containsExactly("node-0", "node-2");
    assertThat(tx.dissent()).singleElement().asString()
        .contains("node-3").contains("\"lie\"");
  }

  @Test
  void aLyingNodeWithADifferentResultDoesNotWin() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "transfer", "client-0", "client-1", "5");
    // The liar answers at once; the correct nodes differ from it in height, code or result.
    cluster.node(0).commit(r.txId(), 7, ValidationCode.VALID, "stolen");
    CompletableFuture<CommittedTx> f = c.awaitCommitted(r, LONG);
    assertThat(cluster.node(1).polls.tryAcquire(2, 5, TimeUnit.SECONDS)).isTrue();
    cluster.node(1).commit(r.txId(), 7, ValidationCode.CONTRACT_REJECTED, "overdraft");
    cluster.node(3).commit(r.txId(), 7, ValidationCode.CONTRACT_REJECTED, "overdraft");

    CommittedTx tx = f.get(10, TimeUnit.SECONDS);

    assertThat(tx.validationCode()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(tx.result()).isEqualTo("overdraft");
    assertThat(tx.confirmedBy()).containsExactly("node-1", "node-3");
    assertThat(tx.dissent()).singleElement().asString().contains("node-0");
  }

  @Test
  void aReplyRelayedByAnotherNodeCountsOnceAndTheTimeoutSaysHowManyMatched() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");
    cluster.node(0).commit(r.txId(), 2, ValidationCode.VALID, "5");
    // node-3 relays node-0's signed reply: same voter, it must not count twice.
    cluster.node(3).committed.put(r.txId(), cluster.node(0).committed.get(r.txId()));

    CompletableFuture<CommittedTx> f = c.awaitCommitted(r.txId(), Duration.ofMillis(300));

    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TimeoutException.class)
        .hasMessageContaining(r.txId())
        .hasMessageContaining("not confirmed within 300 ms")
        .hasMessageContaining("1 matching reply of the f+1 = 2 needed")
        .hasMessageContaining("height 2, VALID, \"5\" from [node-0]")
        .hasMessageContaining(cluster.node(1).uri + " not committed there yet (404)")
        .hasMessageContaining("not re-sent");
    assertThat(cluster.nodes).allSatisfy(n -> assertThat(n.posts).isEmpty());
  }

  @Test
  void repliesWithInvalidSignaturesDoNotCount() throws Exception {
    BftlabClient c = client(BftlabClient.Options.defaults()
        .withReplyVerifier(reply -> Arrays.equals(reply.signature(), FakeCluster.GOOD_SIG)));
    Request r = c.newRequest("token", "mint", "client-0", "5");
    cluster.node(0).commit(r.txId(), 2, ValidationCode.VALID, "5");
    cluster.node(1).committed.put(r.txId(), FakeCluster.status(r.txId(), 2, ValidationCode.VALID,
        "5", new NodeId(1), "forged".getBytes(StandardCharsets.UTF_8)));
    CompletableFuture<CommittedTx> f = c.awaitCommitted(r, LONG);
    assertThat(cluster.node(1).polls.tryAcquire(3, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(f).isNotDone();

    cluster.node(2).commit(r.txId(), 2, ValidationCode.VALID, "5");
    CommittedTx tx = f.get(10, TimeUnit.SECONDS);

    assertThat(tx.confirmedBy()).containsExactly("node-0", "node-2");
    assertThat(tx.dissent()).singleElement().asString().contains("invalid signature");
  }

  @Test
  void aStatusWhoseSignedReplyDisagreesDoesNotCount() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");
    cluster.node(0).commit(r.txId(), 2, ValidationCode.VALID, "5");
    TxStatus honest = FakeCluster.status(r.txId(), 2, ValidationCode.VALID, "5", new NodeId(1),
        FakeCluster.GOOD_SIG);
    // Status says "5" but the signed reply inside says "6".
    cluster.node(1).committed.put(r.txId(), new TxStatus(r.txId(), 2, 0, ValidationCode.VALID,
        "5", FakeCluster.status(r.txId(), 2, ValidationCode.VALID, "6", new NodeId(1),
            FakeCluster.GOOD_SIG).reply()));

    CompletableFuture<CommittedTx> f = c.awaitCommitted(r.txId(), Duration.ofMillis(300));
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("1 matching reply")
        .hasMessageContaining("does not match its status");
    assertThat(honest.reply().result()).isEqualTo("5");
  }

  @Test
  void aGatewayErrorComesBackAsSubmitRejectedWithItsCode() throws Exception {
    cluster.nodes.forEach(n -> n.onPost =
        b -> FakeCluster.Resp.error(401, "BAD_SIGNATURE", "signature does not verify"));
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");

    assertThatThrownBy(() -> c.submit(r).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(SubmitRejected.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.errorCode()).isEqualTo("BAD_SIGNATURE");
          assertThat(e.detail()).isEqualTo("signature does not verify");
          assertThat(e.node()).isEqualTo(cluster.node(0).uri);
        });
    // A 4xx is final: no other node was tried.
    assertThat(cluster.nodes.stream().mapToInt(n -> n.posts.size()).sum()).isEqualTo(1);
  }

  @Test
  void duplicateTxIdAtTheGatewayIsA409Rejection() throws Exception {
    cluster.node(0).onPost = b -> FakeCluster.Resp.error(409, "DUPLICATE_TXID", "already there");
    BftlabClient c = client();
    assertThatThrownBy(() -> c.submit(c.newRequest("token", "mint", "client-0", "5"))
        .get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(SubmitRejected.class,
            e -> assertThat(e.errorCode()).isEqualTo("DUPLICATE_TXID"));
  }

  @Test
  void submitFailsOverOnConnectionRefusedAnd503() throws Exception {
    cluster.node(1).onPost = b -> FakeCluster.Resp.error(503, "UNAVAILABLE", "view change");
    List<URI> nodes = List.of(FakeCluster.deadUri(), cluster.node(1).uri,
        cluster.node(2).uri, cluster.node(3).uri);
    BftlabClient c = client(nodes, BftlabClient.Options.defaults());
    Request r = c.newRequest("token", "mint", "client-0", "5");

    SubmitReceipt receipt = c.submit(r).get(10, TimeUnit.SECONDS);

    assertThat(receipt.node()).isEqualTo(cluster.node(2).uri);
    assertThat(receipt.attempts()).isEqualTo(3);
    assertThat(receipt.txId()).isEqualTo(r.txId());
    assertThat(receipt.alreadyCommitted()).isFalse();
    assertThat(cluster.node(2).posts).singleElement()
        .satisfies(b -> assertThat(b.toRequest()).isEqualTo(r));
  }

  @Test
  void submitRoundRobinsAndReportsAlreadyCommitted() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");
    TxStatus s = FakeCluster.status(r.txId(), 1, ValidationCode.VALID, "5", new NodeId(1),
        FakeCluster.GOOD_SIG);
    cluster.node(1).onPost = b -> FakeCluster.Resp.json(200, s);
    assertThat(c.submit(r).get(10, TimeUnit.SECONDS).node()).isEqualTo(cluster.node(0).uri);
    SubmitReceipt second = c.submit(r).get(10, TimeUnit.SECONDS);
    assertThat(second.node()).isEqualTo(cluster.node(1).uri);
    assertThat(second.alreadyCommitted()).isTrue();
    assertThat(second.committedStatus()).usingRecursiveComparison().isEqualTo(s);
  }

  @Test
  void noReachableNodeIsUnreachable() throws Exception {
    List<URI> dead = List.of(FakeCluster.deadUri(), FakeCluster.deadUri());
    BftlabClient c = client(dead, BftlabClient.Options.defaults());
    assertThatThrownBy(() -> c.submit(c.newRequest("kv", "put", "a", "1"))
        .get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(SubmitRejected.class, e -> {
          assertThat(e.httpStatus()).isZero();
          assertThat(e.errorCode()).isEqualTo(SubmitRejected.UNREACHABLE);
          assertThat(e.detail()).contains(dead.get(0).toString()).contains(dead.get(1).toString());
        });
  }

  @Test
  void retransmitsToAllNodesAfterHalfTheTimeout() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");
    // Nodes only learn of the request when it is (re)transmitted to them.
    for (FakeCluster.Node n : cluster.nodes) {
      n.onPost = b -> {
        n.commit(b.toRequest().txId(), 1, ValidationCode.VALID, "5");
        return FakeCluster.Resp.json(202, Map.of("txId", r.txId(),
            "status", "ACCEPTED"));
      };
    }
    long start = System.nanoTime();
    CompletableFuture<CommittedTx> f = c.awaitCommitted(r, Duration.ofMillis(1000));
    for (FakeCluster.Node n : cluster.nodes) {
      assertThat(n.postsSeen.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
    }
    long retransmittedAfterMs = (System.nanoTime() - start) / 1_000_000;
    CommittedTx tx = f.get(10, TimeUnit.SECONDS);

    assertThat(retransmittedAfterMs).isGreaterThanOrEqualTo(450);
    assertThat(tx.retransmitted()).isTrue();
    assertThat(tx.result()).isEqualTo("5");
    assertThat(cluster.nodes).allSatisfy(n -> assertThat(n.posts).singleElement()
        .satisfies(b -> assertThat(b.toRequest()).isEqualTo(r)));
  }

  @Test
  void aRetransmissionAnsweredWith200CountsAsAReply() throws Exception {
    BftlabClient c = client();
    Request r = c.newRequest("token", "mint", "client-0", "5");
    for (FakeCluster.Node n : cluster.nodes) {
      n.onPost = b -> FakeCluster.Resp.json(200, FakeCluster.status(r.txId(), 1,
          ValidationCode.VALID, "5", n.id(), FakeCluster.GOOD_SIG));
    }
    CommittedTx tx = c.awaitCommitted(r, Duration.ofMillis(400)).get(10, TimeUnit.SECONDS);
    assertThat(tx.retransmitted()).isTrue();
    assertThat(tx.confirmedBy()).hasSize(2);
  }

  @Test
  void statusesReportEveryReachableNode() throws Exception {
    for (FakeCluster.Node n : cluster.nodes.subList(0, 3)) {
      n.status = new NodeStatus(n.id(), CLUSTER, 0, new NodeId(0), 5, 5, Digest.ZERO, 0, 32, 0, false, 0);
    }
    BftlabClient c = client();
    List<NodeStatus> statuses = c.statuses().get(10, TimeUnit.SECONDS);
    assertThat(statuses).extracting(NodeStatus::nodeId)
        .containsExactly(new NodeId(0), new NodeId(1), new NodeId(2));
    List<NodeReport> reports = c.statusReports().get(10, TimeUnit.SECONDS);
    assertThat(reports.get(3).reachable()).isFalse();
    assertThat(reports.get(3).error()).isEqualTo("HTTP 404");
  }

  @Test
  void rejectsFewerThanFPlusOneNodes() {
    assertThatThrownBy(() -> new BftlabClient(CLUSTER, new ClientId("c"), FakeCluster::sign,
        List.of(cluster.node(0).uri), 1, LONG))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f+1 = 2");
  }
}
