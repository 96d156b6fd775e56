package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.bftlab.api.TransactionBody;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood against one node of a 4-node in-JVM cluster (issue 13): 10,000 requests from 200
 * concurrent connections on loopback — signed transactions of a flooding client, bad signatures,
 * malformed bodies — while a well-behaved client keeps submitting through the other nodes. The
 * flooded node answers the excess 503 (its request pool, here 32) or 429, every answer is a
 * documented status with a JSON body, its heap stays bounded, the well-behaved client's
 * transactions commit, and every transaction the flooded node accepted (202) commits.
 * Starts cluster nodes: run under {@code flock /tmp/bftlab-cluster.lock}.
 */
class FloodTest {
  static final int REQUESTS = 10_000;
  static final int CONNECTIONS = 200;

  @TempDir Path dir;

  @Test
  void aFloodedNodeShedsTheExcessAndTheClusterKeepsCommitting() throws Exception {
    try (LocalCluster cluster = ClusterSupport.startNew(dir, 4, 2, "bftlab-flood",
        ConfigFactory.parseString("bftlab.http.limits { max-in-flight = 32, "
            + "rate-per-host = 1500, burst-per-host = 1500 }"))) {
      List<URI> urls = cluster.httpUrls();
      URI target = urls.get(0);   // the primary of view 0
      Ed25519.SigningKey flooder = ClusterSupport.signer(cluster, new ClientId("client-1"));
      String clusterId = cluster.genesis().clusterId();
      BftlabClient good = new BftlabClient(clusterId, new ClientId("client-0"),
          ClusterSupport.signer(cluster, new ClientId("client-0"))::sign, urls.subList(1, 4),
          cluster.genesis().f(), Duration.ofSeconds(120));

      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heapBefore = rt.totalMemory() - rt.freeMemory();
      Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      AtomicInteger notJson = new AtomicInteger();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(20)).build();
      ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      for (int c = 0; c < CONNECTIONS; c++) {
        pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
            String body = body(i, clusterId, flooder);
            try {
              HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                      target.resolve("/transactions")).timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                  HttpResponse.BodyHandlers.ofString());
              statuses.computeIfAbsent(r.statusCode(), s -> new LongAdder()).increment();
              if (!r.body().startsWith("{")) {
                notJson.incrementAndGet();
              }
              if (r.statusCode() == 202) {
                accepted.add(Json.mapper().readTree(r.body()).path("txId").asText());
              }
            } catch (Exception e) {
              statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
            }
          }
          return null;
        });
      }
      // the well-behaved client, through the other nodes, while the flood runs
      int goodCommitted = 0;
      for (int k = 0; k < 10; k++) {
        Request r = good.newRequest("kv", "put", "good-" + k, "v" + k);
        CommittedTx tx = good.submitAndAwait(r, Duration.ofSeconds(120)).get();
        assertThat(tx.validationCode().name()).isEqualTo("VALID");
        goodCommitted++;
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).as("flood finished").isTrue();
      long floodMs = (System.nanoTime() - t0) / 1_000_000;
      System.gc();
      long heapAfter = rt.totalMemory() - rt.freeMemory();
      ClusterSupport.log("flood: %d requests, %d connections, %d ms; statuses %s; accepted %d; "
          + "heap after GC %d MiB -> %d MiB (max %d MiB); well-behaved committed %d",
          REQUESTS, CONNECTIONS, floodMs, statuses, accepted.size(), heapBefore >> 20,
          heapAfter >> 20, rt.maxMemory() >> 20, goodCommitted);

      long shed = count(statuses, 503) + count(statuses, 429);
      assertThat(shed).as("the excess is shed with 503/429").isPositive();
      assertThat(statuses.keySet()).as("only documented answers, no 500, no dropped connection")
          .isSubsetOf(Set.of(202, 400, 401, 409, 429, 503));
      assertThat(notJson.get()).as("every answer is a JSON body").isZero();
      assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(256L << 20);
      assertThat(goodCommitted).isEqualTo(10);
      // nothing accepted is lost: every 202 commits (read on another node)
      for (String txId : accepted) {
        CommittedTx tx = good.awaitCommitted(txId, Duration.ofSeconds(180)).get();
        assertThat(tx.txId()).isEqualTo(txId);
      }
      good.close();
    }
  }

  private static long count(Map<Integer, LongAdder> statuses, int status) {
    LongAdder a = statuses.get(status);
    return a == null ? 0 : a.sum();
  }

  /** Every 10th a valid signed kv put, the rest alternately a bad signature or not JSON. */
  private static String body(int i, String clusterId, Ed25519.SigningKey key) {
    try {
      if (i % 10 == 0) {
        Request r = Request.sign(clusterId, new ClientId("client-1"), 1_000_000L + i, "kv", "put",
            List.of("flood-" + i, "x"), key::sign);
        return Json.mapper().writeValueAsString(TransactionBody.of(r));
      }
      if (i % 2 == 0) {
        Request r = Request.sign(clusterId, new ClientId("client-1"), 1_000_000L + i, "kv", "put",
            List.of("flood-" + i, "x"), p -> new byte[64]);
        return Json.mapper().writeValueAsString(TransactionBody.of(r));
      }
      return "{\"clusterId\": [" + "[".repeat(i % 50) + new String(new byte[] {'x'},
          StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
