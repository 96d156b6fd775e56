package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisAuthenticatorTest {
  private static final Genesis GENESIS = TestKeys.genesis(4, 2);
  private static final String CLUSTER = GENESIS.clusterId();
  private static final Digest D = Digest.sha256(new byte[] {1, 2, 3});

  private static GenesisAuthenticator replica(int i) {
    return new GenesisAuthenticator(GENESIS, new NodeId(i),
        TestKeys.pair("node-" + i).privateKey());
  }

  @Test
  void replicaMessageSignedByAnotherNodeVerifies() {
    Prepare p = Prepare.sign(CLUSTER, 0, 1, D, new NodeId(1), replica(1));
    assertThat(p.signature()).hasSize(64);
    assertThat(p.verify(CLUSTER, replica(2))).isTrue();
    assertThat(p.verify(CLUSTER, GenesisAuthenticator.forClientsAndReplicasOnly(GENESIS))).isTrue();
  }

  @Test
  void forgedOrReplayedReplicaMessagesFail() {
    GenesisAuthenticator auth = replica(0);
    Prepare p = Prepare.sign(CLUSTER, 0, 1, D, new NodeId(1), replica(1));
    // node-3 claims node-1's message as its own
    assertThat(new Prepare(0, 1, D, new NodeId(3), p.signature()).verify(CLUSTER, auth)).isFalse();
    // other view, other seqNo, other digest, other cluster
    assertThat(new Prepare(1, 1, D, new NodeId(1), p.signature()).verify(CLUSTER, auth)).isFalse();
    assertThat(new Prepare(0, 2, D, new NodeId(1), p.signature()).verify(CLUSTER, auth)).isFalse();
    assertThat(new Prepare(0, 1, Digest.ZERO, new NodeId(1), p.signature()).verify(CLUSTER, auth))
        .isFalse();
    assertThat(p.verify("other-cluster", auth)).isFalse();
    // node-1's message signed with node-2's key
    Prepare forged = Prepare.sign(CLUSTER, 0, 1, D, new NodeId(1), replica(2));
    assertThat(forged.verify(CLUSTER, auth)).isFalse();
  }

  @Test
  void unknownSignersAndMalformedSignaturesAreFalse() {
    GenesisAuthenticator auth = replica(0);
    byte[] payload = {1};
    byte[] sig = auth.sign(payload);
    assertThat(auth.verifyReplica(new NodeId(0), payload, sig)).isTrue();
    assertThat(auth.verifyReplica(new NodeId(4), payload, sig)).isFalse();
    assertThat(auth.verifyReplica(null, payload, sig)).isFalse();
    assertThat(auth.verifyReplica(new NodeId(0), payload, new byte[3])).isFalse();
    assertThat(auth.verifyReplica(new NodeId(0), payload, null)).isFalse();
    assertThat(auth.verifyClient(new ClientId("client-9"), payload, sig)).isFalse();
    assertThat(auth.verifyClient(null, payload, sig)).isFalse();
    assertThat(auth.knowsClient(new ClientId("client-1"))).isTrue();
    assertThat(auth.knowsClient(new ClientId("client-9"))).isFalse();
    assertThat(auth.knowsClient(null)).isFalse();
  }

  @Test
  void clientRequestsVerify() {
    var clientKey = Ed25519.signingKey(TestKeys.pair("client-1").privateKey());
    Request r = Request.sign(CLUSTER, new ClientId("client-1"), 7, "kv", "put",
        List.of("a", "1"), clientKey::sign);
    GenesisAuthenticator auth = GenesisAuthenticator.forClientsAndReplicasOnly(GENESIS);
    assertThat(r.verify(auth)).isTrue();
    // client-0 claiming client-1's signature
    Request other = new Request(CLUSTER, new ClientId("client-0"), 7, "kv", "put",
        List.of("a", "1"), r.signature());
    assertThat(other.verify(auth)).isFalse();
    Request tampered = new Request(CLUSTER, new ClientId("client-1"), 7, "kv", "put",
        List.of("a", "2"), r.signature());
    assertThat(tampered.verify(auth)).isFalse();
  }

  @Test
  void verifyOnlyInstanceCannotSign() {
    GenesisAuthenticator auth = GenesisAuthenticator.forClientsAndReplicasOnly(GENESIS);
    assertThat(auth.self()).isEmpty();
    assertThatThrownBy(() -> auth.sign(new byte[1])).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("verify-only");
  }

  @Test
  void wrongOrForeignKeyIsRejectedAtConstruction(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> new GenesisAuthenticator(GENESIS, new NodeId(0),
        TestKeys.pair("node-1").privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match its public key");
    assertThatThrownBy(() -> new GenesisAuthenticator(GENESIS, new NodeId(4),
        TestKeys.pair("node-4").privateKey()))
        .hasMessageContaining("node-4 is not a member");
    Path key = dir.resolve("node-2.key");
    KeyFiles.writePrivateKey(key, TestKeys.pair("node-1"));
    assertThatThrownBy(() -> GenesisAuthenticator.forReplica(GENESIS, new NodeId(2), key))
        .isInstanceOf(CryptoFileException.class).hasMessageStartingWith(key + ": ");
    KeyFiles.writePrivateKey(key, TestKeys.pair("node-2"));
    assertThat(GenesisAuthenticator.forReplica(GENESIS, new NodeId(2), key).self())
        .contains(new NodeId(2));
  }

  @Test
  void signaturesAreDeterministic() {
    byte[] payload = "x".getBytes();
    assertThat(replica(3).sign(payload)).isEqualTo(replica(3).sign(payload));
  }
}
