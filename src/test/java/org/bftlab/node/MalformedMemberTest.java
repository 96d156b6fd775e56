package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Request;
import org.bftlab.metrics.PrometheusText;
import org.bftlab.transport.WireSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "a member sending malformed, oversized and unknown-type messages to its peers":
 * node-3 of an in-JVM 4-node cluster holds its genuine member identity but writes every peer
 * message as junk — bytes that are not CBOR, CBOR nested deeper than the read limit, a CBOR text
 * that is no protocol message, and a real message under an unknown manifest — through a test serializer bound under the
 * wire serializer's name and identifier ({@link JunkWireSerializer}). (Oversized frames never
 * leave Artery; {@code WireSerializerTest} covers the size check.) The three correct replicas
 * drop and count what it sends, no message of it reaches an actor or counts toward a quorum, and
 * they keep committing without a view change: f = 1 tolerates one faulty member.
 */
class MalformedMemberTest {
  private LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aMemberSendingJunkIsDroppedAndCountedAndTheOthersKeepCommitting(@TempDir Path dir)
      throws Exception {
    cluster = LocalCluster.generate(dir, 4, 1, "bftlab-junk", ConfigLoader.defaults());
    for (int i = 0; i < 3; i++) {
      cluster.start(new NodeId(i));
    }
    cluster.start(new NodeId(3), ConfigFactory.parseString(
        "pekko.actor.serializers.bftlab-wire = \"" + JunkWireSerializer.class.getName() + "\"\n"
        + "pekko.actor.serialization-identifiers.\"" + JunkWireSerializer.class.getName()
        + "\" = " + WireSerializer.IDENTIFIER));
    cluster.awaitConnected(ClusterSupport.CONNECT_TIMEOUT);
    List<URI> honest = cluster.httpUrls().subList(0, 3);

    // a request accepted by node-3 would only be relayed as junk: submit to the correct ones
    // (a client that hears nothing re-sends to every replica, OSDI'99 §4.1 — not tested here)
    BftlabClient client = ClusterSupport.clients(cluster).get(0);
    var gc = cluster.genesis().clients().get(0);
    BftlabClient toHonest = new BftlabClient(cluster.genesis().clusterId(), gc.id(),
        ClusterSupport.signer(cluster, gc.id())::sign, honest, cluster.genesis().f(),
        ClusterSupport.COMMIT_TIMEOUT);
    List<Request> sent = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      Request r = toHonest.newRequest("kv", "put", "junk-" + t, "v" + t);
      toHonest.submit(r).get();
      sent.add(r);
    }
    for (Request r : sent) {
      toHonest.awaitCommitted(r.txId(), ClusterSupport.COMMIT_TIMEOUT).get();
    }
    toHonest.close();

    for (URI node : honest) {
      double[] seen = {0};
      double dropped = ClusterSupport.poll("undecodable messages counted at " + node,
          ClusterSupport.COMMIT_TIMEOUT, 200, () -> {
            seen[0] = PrometheusText.parse(ClusterSupport.get(node, "/metrics").body())
                .value("consensus_messages_dropped_total", "reason", "undecodable");
            return seen[0] >= 4 ? Optional.of(seen[0]) : Optional.empty();
          }, () -> seen[0] + " dropped");
      assertThat(dropped).as("every kind of junk from node-3 dropped at " + node)
          .isGreaterThanOrEqualTo(4);
    }
    // node-3 still decodes what the others send: it executes the same chain
    List<NodeStatus> heads = ClusterSupport.awaitSameHeads(client, 4, 1);
    assertThat(heads).allSatisfy(s -> {
      assertThat(s.view()).as("no view change: node-0 stays primary").isZero();
      assertThat(s.height()).isPositive();
    });
    assertThat(JunkWireSerializer.written.get()).as("node-3 really sent junk").isPositive();
  }

  /**
   * Writes every outgoing peer message as junk, rotating through four kinds, and reads incoming
   * ones like the real {@link WireSerializer}. Bound on the faulty member only.
   */
  public static final class JunkWireSerializer extends SerializerWithStringManifest {
    static final AtomicLong written = new AtomicLong();
    private final WireSerializer real;
    private final String self;
    private final AtomicLong next = new AtomicLong();
    private final ThreadLocal<Integer> kind = ThreadLocal.withInitial(() -> 0);

    public JunkWireSerializer(ExtendedActorSystem system) {
      this.real = new WireSerializer(system);
      this.self = system.provider().getDefaultAddress().toString();
    }

    @Override
    public int identifier() {
      return WireSerializer.IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
      int k = (int) (next.getAndIncrement() % 4);
      kind.set(k);
      return k == 3 ? "Z|" + self : real.manifest(o);
    }

    @Override
    public byte[] toBinary(Object o) {
      written.incrementAndGet();
      return switch (kind.get()) {
        case 0 -> new byte[] {(byte) 0xff, 0x00, 0x13, 0x37, (byte) 0xfe}; // not CBOR
        case 1 -> deepArray(200); // nested beyond the read limit (64)
        case 2 -> "{\"type\":\"NOT-A-MESSAGE\"}".getBytes(StandardCharsets.UTF_8);
        default -> real.toBinary(o); // a real message under an unknown manifest
      };
    }

    private static byte[] deepArray(int depth) {
      byte[] b = new byte[depth + 1];
      Arrays.fill(b, 0, depth, (byte) 0x81); // CBOR: array of one element, nested
      b[depth] = 0x00;
      return b;
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
      return real.fromBinary(bytes, manifest);
    }
  }
}
