package org.bftlab.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.client.BftlabClient;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.node.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four replicas in one JVM over mutual TLS (Artery {@code tls-tcp} with {@link
 * MemberSslEngineProvider}): they connect, commit a transaction, and a replica stops cleanly
 * within the time {@link LocalCluster#stop} allows. Run under the cluster lock.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TlsLocalClusterTest {
  @TempDir Path dir;

  @Test
  void replicasConnectCommitAndStopOverTls() throws Exception {
    var config = ConfigFactory.parseString("bftlab.local-cluster.tls = on")
        .withFallback(ConfigLoader.defaults());
    try (LocalCluster cluster = LocalCluster.generate(dir, 4, 1, "tls-cluster", config)) {
      long t0 = System.nanoTime();
      cluster.startAll();
      cluster.awaitConnected(Duration.ofSeconds(90));
      System.out.printf("[tls] 4 nodes up and connected over TLS in %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      var g = cluster.genesis();
      ClientId c0 = g.clients().get(0).id();
      byte[] key = KeyFiles.readPrivateKey(cluster.clientKey(c0.value()));
      try (BftlabClient client = new BftlabClient(g.clusterId(), c0,
          Ed25519.signingKey(key)::sign, cluster.httpUrls(), g.f(), Duration.ofSeconds(60))) {
        var committed = client.submitAndAwait(client.newRequest("kv", "put", List.of("k", "v")),
            Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
        assertThat(committed.blockHeight()).isPositive();
        // some load, so that every connection carries traffic when the nodes stop
        List<java.util.concurrent.CompletableFuture<?>> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
          inFlight.add(client.submitAndAwait(client.newRequest("kv", "put",
              List.of("k" + i, "v")), Duration.ofSeconds(60)));
        }
        java.util.concurrent.CompletableFuture.allOf(inFlight.toArray(
            java.util.concurrent.CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      }
      for (NodeId id : g.nodeIds()) {
        long t1 = System.nanoTime();
        var stopping = cluster.node(id).orElseThrow().system();
        Thread dumper = new Thread(() -> dumpAfter(Duration.ofSeconds(15), stopping),
            "dump-if-slow");
        dumper.setDaemon(true);
        dumper.start();
        try {
          cluster.stop(id);
        } finally {
          dumper.interrupt();
        }
        System.out.printf("[tls] %s stopped in %d ms%n", id, (System.nanoTime() - t1) / 1_000_000);
        assertThat(cluster.node(id)).isEmpty();
      }
    }
  }

  /** Prints every thread's stack if not interrupted within {@code d} (diagnoses a slow stop). */
  private static void dumpAfter(Duration d, org.apache.pekko.actor.typed.ActorSystem<?> system) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      return;
    }
    StringBuilder sb = new StringBuilder("[tls] stop slower than " + d + "; threads:\n");
    Thread.getAllStackTraces().forEach((t, st) -> {
      sb.append(t.getName()).append(' ').append(t.getState()).append('\n');
      for (StackTraceElement e : st) {
        sb.append("    at ").append(e).append('\n');
      }
    });
    System.out.println(sb);
    System.out.println("[tls] actors still alive in the stopping system:\n"
        + ((org.apache.pekko.actor.ActorSystemImpl) system.classicSystem()).printTree());
  }
}
