package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bftlab.client.CommittedTx;
import org.bftlab.client.ReplySubscription;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /replies} (WebSocket) against a fake node, read by {@link ReplySubscription}. */
class ReplyPushTest {
  private static final ClientId C = new ClientId("client-0");
  private ActorSystem<Void> system;
  private ServerBinding binding;
  private final List<Consumer<List<TxStatus>>> listeners = new CopyOnWriteArrayList<>();
  private FakeNodeFacade facade;
  private final List<String> lookups = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "push-test",
        ConfigFactory.parseString("pekko.loglevel = WARNING"));
    facade = new FakeNodeFacade(new NodeInfo(HttpApiTest.CLUSTER, new NodeId(0), 4, 1)) {
      @Override
      public AutoCloseable subscribe(Consumer<List<TxStatus>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
      }

      @Override
      public java.util.concurrent.CompletionStage<java.util.Optional<TxStatus>> transaction(
          String txId) {
        lookups.add(txId);
        return super.transaction(txId);
      }
    };
    binding = HttpApi.bind(system, "127.0.0.1", 0, facade, HttpApiTest.PARAMS, HttpApiTest.AUTH)
        .toCompletableFuture().join();
  }

  @AfterEach
  void stop() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
  }

  private static TxStatus status(String txId, int replica, ClientId client) {
    Reply r = new Reply(0, 1, client, new NodeId(replica), txId, 3, "VALID", "ok", new byte[] {1});
    return new TxStatus(txId, 3, 0, ValidationCode.VALID, "ok", r);
  }

  private void awaitListeners(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (listeners.size() < n && System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    assertThat(listeners).hasSize(n);
  }

  @Test
  void pushedRepliesFromFPlusOneReplicasConfirmAndOtherClientsAreNotSent() throws Exception {
    // two sockets to the one fake node; the statuses below claim two distinct replicas
    try (ReplySubscription sub = ReplySubscription.open(http, List.of(url(), url()), C, 1,
        r -> true, Duration.ofSeconds(5))) {
      awaitListeners(2);
      var out = sub.await("tx-a");
      listeners.forEach(l -> l.accept(List.of(status("tx-a", 0, new ClientId("client-1")))));
      listeners.get(0).accept(List.of(status("tx-a", 0, C)));
      assertThat(out).isNotDone();
      listeners.get(1).accept(List.of(status("tx-a", 1, C)));
      CommittedTx tx = out.get(10, TimeUnit.SECONDS);
      assertThat(tx.confirmedBy()).containsExactlyInAnyOrder("node-0", "node-1");
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listeners.isEmpty() && System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    assertThat(listeners).as("closed sockets unsubscribe").isEmpty();
  }

  @Test
  void aTransactionAwaitedAfterItExecutedIsAnsweredOnRequest() throws Exception {
    facade.transactions.put("tx-b", status("tx-b", 2, C));
    try (ReplySubscription sub = ReplySubscription.open(http, List.of(url()), C, 0,
        r -> true, Duration.ofSeconds(5))) {
      assertThat(sub.await("tx-b").get(10, TimeUnit.SECONDS).confirmedBy())
          .containsExactly("node-2");
    }
  }

  @Test
  void aTransactionSubmittedAfterTheSubscriptionOpenedIsNotLookedUpAtTheReplicas()
      throws Exception {
    try (ReplySubscription sub = ReplySubscription.open(http, List.of(url(), url()), C, 1,
        r -> true, Duration.ofSeconds(5))) {
      awaitListeners(2);
      // pushed before it is awaited (the submission's 202 can come after the REPLY): kept
      listeners.get(0).accept(List.of(status("tx-c", 0, C)));
      var out = sub.await("tx-c", false);
      listeners.get(1).accept(List.of(status("tx-c", 1, C)));
      assertThat(out.get(10, TimeUnit.SECONDS).confirmedBy())
          .containsExactlyInAnyOrder("node-0", "node-1");
      // the control: a transaction that may predate the subscription is asked for on each
      // socket; frames on one socket arrive in order, so once tx-d was looked up on both, a
      // lookup of tx-c sent before it would have arrived
      facade.transactions.put("tx-d", status("tx-d", 2, C));
      sub.await("tx-d");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (lookups.stream().filter("tx-d"::equals).count() < 2 && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      assertThat(lookups).as("only tx-d was looked up, on each socket")
          .containsExactly("tx-d", "tx-d");
    }
  }

  /** A raw socket on {@code /replies?client=C} that collects every text frame it receives. */
  private java.net.http.WebSocket rawSocket(List<String> frames) throws Exception {
    StringBuilder partial = new StringBuilder();
    return http.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + binding.localAddress().getPort() + "/replies?client="
            + C.value()), new java.net.http.WebSocket.Listener() {
              @Override
              public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w,
                  CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                  frames.add(partial.toString());
                  partial.setLength(0);
                }
                w.request(1);
                return null;
              }
            }).get(10, TimeUnit.SECONDS);
  }

  private static void awaitFrames(List<String> frames, int n) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (frames.size() < n && System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  /** The {@code ack} object of an {@code {"ack":…}} frame. */
  private static com.fasterxml.jackson.databind.JsonNode ack(String frame) throws Exception {
    var node = org.bftlab.codec.Json.mapper().readTree(frame);
    assertThat(node.has("ack")).as("an ack frame: %s", frame).isTrue();
    return node.get("ack");
  }

  @Test
  void aTransactionSubmittedOnTheSocketIsCheckedAndAcknowledgedAsAPostWouldBe()
      throws Exception {
    // issue 9: the submission rides the reply socket instead of one POST per transaction; the
    // gateway's checks and answers are the POST's (Castro & Liskov OSDI'99 §4.1: the client
    // sends ⟨REQUEST, o, t, c⟩ to the primary; here, to any replica it is subscribed to)
    List<String> frames = new CopyOnWriteArrayList<>();
    java.net.http.WebSocket ws = rawSocket(frames);
    try {
      var mapper = org.bftlab.codec.Json.mapper();
      org.bftlab.core.msg.Request good = HttpApiTest.signed("client-0", 41);
      org.bftlab.core.msg.Request forged = HttpApiTest.signedAs("client-0", "client-1",
          HttpApiTest.CLUSTER, 42, List.of("client-0", "client-1", "5"));
      org.bftlab.core.msg.Request done = HttpApiTest.signed("client-0", 43);
      facade.answers.put(done.txId(), new SubmitResult.AlreadyCommitted(
          status(done.txId(), 0, C)));
      ws.sendText(mapper.writeValueAsString(HttpApiTest.bodyOf(good)), true).join();
      ws.sendText(mapper.writeValueAsString(HttpApiTest.bodyOf(forged)), true).join();
      ws.sendText(mapper.writeValueAsString(HttpApiTest.bodyOf(done)), true).join();
      ws.sendText("{\"client\": 5}", true).join();
      awaitFrames(frames, 4);
      assertThat(frames).hasSize(4);
      java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byTx =
          new java.util.HashMap<>();
      com.fasterxml.jackson.databind.JsonNode malformed = null;
      for (String f : frames) {
        var a = ack(f);
        if (a.get("txId").isNull()) {
          malformed = a;
        } else {
          byTx.put(a.get("txId").asText(), a);
        }
      }
      assertThat(byTx.get(good.txId()).get("status").asInt()).isEqualTo(202);
      assertThat(byTx.get(good.txId()).get("body").get("status").asText()).isEqualTo("ACCEPTED");
      assertThat(byTx.get(forged.txId()).get("status").asInt()).isEqualTo(401);
      assertThat(byTx.get(forged.txId()).get("body").get("error").asText())
          .isEqualTo("BAD_SIGNATURE");
      assertThat(byTx.get(done.txId()).get("status").asInt()).isEqualTo(200);
      assertThat(byTx.get(done.txId()).get("body").get("txId").asText()).isEqualTo(done.txId());
      assertThat(malformed).as("a body that is no transaction: 400, no txId").isNotNull();
      assertThat(malformed.get("status").asInt()).isEqualTo(400);
      assertThat(malformed.get("body").get("error").asText()).isEqualTo("MALFORMED");
      assertThat(facade.submitted).as("the forged and the malformed never reach the node")
          .containsExactlyInAnyOrder(good, done);
      // each ack names the client's frame it answers, in the order they were sent
      java.util.Map<Long, Integer> statusByFrame = new java.util.HashMap<>();
      for (String f : frames) {
        statusByFrame.put(mapper.readTree(f).get("frame").asLong(), ack(f).get("status").asInt());
      }
      assertThat(statusByFrame).containsExactlyInAnyOrderEntriesOf(
          java.util.Map.of(0L, 202, 1L, 401, 2L, 200, 3L, 400));
    } finally {
      ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  @Test
  void theClientMatchesEveryAckToItsSubmissionAlsoARefusalWithoutATxId() throws Exception {
    try (ReplySubscription sub = ReplySubscription.open(http, List.of(url()), C, 0,
        r -> true, Duration.ofSeconds(5))) {
      var mapper = org.bftlab.codec.Json.mapper();
      org.bftlab.core.msg.Request good = HttpApiTest.signed("client-0", 45);
      assertThat(sub.canSubmit(url())).isTrue();
      // the timeout is far beyond the wait below: an answer means the ack was matched
      var accepted = sub.submit(url(), good.txId(),
          mapper.writeValueAsBytes(HttpApiTest.bodyOf(good)), Duration.ofSeconds(60));
      var malformed = sub.submit(url(), "not-parsed",
          "{\"nope\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Duration.ofSeconds(60));
      assertThat(accepted.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
      assertThat(malformed.get(10, TimeUnit.SECONDS).status()).isEqualTo(400);
      assertThat(malformed.get().body()).contains("MALFORMED");
      assertThat(facade.submitted).containsExactly(good);
    }
  }

  @Test
  void aFrameOverTheBodyLimitIsRefusedAndTheSocketStaysUsable() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    java.net.http.WebSocket ws = rawSocket(frames);
    try {
      ws.sendText("{\"x\":\"" + "a".repeat(2 * HttpApiTest.PARAMS.maxRequestBytes()) + "\"}",
          true).join();
      awaitFrames(frames, 1);
      assertThat(ack(frames.get(0)).get("status").asInt()).isEqualTo(413);
      org.bftlab.core.msg.Request good = HttpApiTest.signed("client-0", 44);
      ws.sendText(org.bftlab.codec.Json.mapper().writeValueAsString(HttpApiTest.bodyOf(good)),
          true).join();
      awaitFrames(frames, 2);
      assertThat(ack(frames.get(1)).get("status").asInt()).isEqualTo(202);
      assertThat(facade.submitted).containsExactly(good);
    } finally {
      ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  @Test
  void aBlockIsOneFrameHoldingOnlyThisClientsStatusesInBlockOrder() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    java.net.http.WebSocket ws = rawSocket(frames);
    try {
      awaitListeners(1);
      listeners.get(0).accept(List.of(status("tx-1", 0, C),
          status("tx-2", 0, new ClientId("client-1")), status("tx-3", 0, C)));
      listeners.get(0).accept(List.of(status("tx-4", 0, new ClientId("client-1"))));
      listeners.get(0).accept(List.of(status("tx-5", 0, C)));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (frames.size() < 2 && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      assertThat(frames).as("one frame per block with this client's transactions").hasSize(2);
      var mapper = org.bftlab.codec.Json.mapper();
      TxStatus[] first = mapper.readValue(frames.get(0), TxStatus[].class);
      assertThat(first).extracting(TxStatus::txId).containsExactly("tx-1", "tx-3");
      assertThat(mapper.readValue(frames.get(1), TxStatus[].class))
          .extracting(TxStatus::txId).containsExactly("tx-5");
    } finally {
      ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  @Test
  void aSocketBuffersAtMostBufferStatusesNotBufferBlocks() {
    List<Object> queued = new java.util.ArrayList<>();
    org.apache.pekko.stream.BoundedSourceQueue<Object> q =
        new org.apache.pekko.stream.BoundedSourceQueue<>() {
          @Override
          public org.apache.pekko.stream.QueueOfferResult offer(Object e) {
            queued.add(e);
            return org.apache.pekko.stream.QueueOfferResult.enqueued();
          }

          @Override
          public void complete() {}

          @Override
          public void fail(Throwable ex) {}

          @Override
          public int size() {
            return queued.size();
          }

          @Override
          public boolean isCompleted() {
            return false;
          }
        };
    var buffered = new java.util.concurrent.atomic.AtomicInteger();
    int block = 64;
    for (int k = 0; k < ReplyPush.BUFFER; k++) {
      ReplyPush.offer(q, buffered, List.of(), block);
    }
    assertThat(queued).as("a full block counts 64, not 1").hasSize(ReplyPush.BUFFER / block);
    assertThat(buffered).hasValue(ReplyPush.BUFFER);
    ReplyPush.offer(q, buffered, "one more", 1);
    assertThat(queued).hasSize(ReplyPush.BUFFER / block);
    assertThat(buffered).as("a dropped frame is not counted").hasValue(ReplyPush.BUFFER);
  }

  @Test
  void aPlainGetIsRefusedAndLeavesNoListener() throws Exception {
    var r = http.send(java.net.http.HttpRequest.newBuilder(
        URI.create(url() + "/replies?client=" + C.value())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(listeners).as("no upgrade, no subscription").isEmpty();
  }

  @Test
  void aBadClientIdIsMalformed() throws Exception {
    var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(url() + "/replies?client=a%20b"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("MALFORMED");
  }
}
