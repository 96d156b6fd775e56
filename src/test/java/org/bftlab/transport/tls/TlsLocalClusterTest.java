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
    var config = ConfigFactory.parseString("bftlab.transport.tls = on")
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
      }
      long t1 = System.nanoTime();
      cluster.stop(new NodeId(0));
      long stopMs = (System.nanoTime() - t1) / 1_000_000;
      System.out.printf("[tls] node-0 stopped in %d ms%n", stopMs);
      assertThat(cluster.node(new NodeId(0))).isEmpty();
    }
  }
}
