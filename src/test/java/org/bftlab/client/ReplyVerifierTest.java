package org.bftlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.TxStatus;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REPLY counts only with a valid Ed25519 signature of the replica it names, under the genesis
 * keys (OSDI'99 §4.1) — the verifier every production client path builds.
 */
class ReplyVerifierTest {
  @TempDir
  static Path dir;
  static Genesis genesis;
  static ReplyVerifier verifier;
  static FakeCluster cluster;

  @BeforeAll
  static void generate() throws IOException {
    genesis = CryptoGen.generate(CryptoGen.Options.defaults(dir)).genesis();
    verifier = ReplyVerifier.fromGenesis(genesis);
    cluster = new FakeCluster(4);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A REPLY for {@code txId} claiming to be {@code claimed}'s, signed with {@code signer}'s key. */
  static Reply reply(String clusterId, NodeId claimed, NodeId signer, String txId, String result)
      throws IOException {
    GenesisAuthenticator auth = GenesisAuthenticator.forReplica(genesis, signer,
        dir.resolve("nodes").resolve(signer + ".key"));
    Reply genuine = Reply.sign(clusterId, 0, 1, new ClientId("client-0"), signer, txId, 2,
        "VALID", result, auth);
    return new Reply(0, 1, genuine.client(), claimed, txId, 2, "VALID", result,
        genuine.signature());
  }

  @Test
  void acceptsTheReplicasOwnSignatureOnly() throws IOException {
    String cid = genesis.clusterId();
    NodeId n0 = new NodeId(0);
    NodeId n1 = new NodeId(1);
    Reply genuine = reply(cid, n0, n0, "tx", "5");
    assertThat(verifier.test(genuine)).isTrue();
    assertThat(verifier.test(reply(cid, n0, n1, "tx", "5"))).as("node-1's key, claims node-0")
        .isFalse();
    assertThat(verifier.test(new Reply(0, 1, genuine.client(), n0, "tx", 2, "VALID", "6",
        genuine.signature()))).as("result changed after signing").isFalse();
    assertThat(verifier.test(new Reply(0, 1, genuine.client(), n0, "tx", 2, "VALID", "5",
        new byte[0]))).as("unsigned").isFalse();
    assertThat(verifier.test(reply("another-cluster", n0, n0, "tx", "5")))
        .as("signed for another cluster").isFalse();
    assertThat(verifier.test(new Reply(0, 1, genuine.client(), new NodeId(9), "tx", 2, "VALID",
        "5", genuine.signature()))).as("a replica the genesis does not list").isFalse();
  }

  @Test
  void oneEd25519CheckPerReplicaPerBlockAndAForgeryIsCheckedEveryTime() throws IOException {
    ReplyVerifier v = ReplyVerifier.fromGenesis(genesis);
    NodeId n1 = new NodeId(1);
    GenesisAuthenticator auth = GenesisAuthenticator.forReplica(genesis, n1,
        dir.resolve("nodes").resolve(n1 + ".key"));
    List<Reply.Outcome> txs = new java.util.ArrayList<>();
    for (int k = 0; k < 6; k++) {
      txs.add(new Reply.Outcome(k, new ClientId("client-0"), "tx-" + k, "VALID", "r" + k));
    }
    List<Reply> block = Reply.signBlock(genesis.clusterId(), 0, n1, 4, txs, auth);
    for (Reply r : block) {
      // as a client reads it: the TxStatus JSON a replica pushes, through the client's mapper
      TxStatus pushed = NodeHttp.JSON.readValue(NodeHttp.JSON.writeValueAsString(new TxStatus(
          r.txId(), 4, r.leafIndex(), ValidationCode.VALID, r.result(), r)), TxStatus.class);
      assertThat(pushed.reply().path()).isEqualTo(r.path());
      assertThat(pushed.reply().leafCount()).isEqualTo(6);
      assertThat(v.test(pushed.reply())).isTrue();
    }
    assertThat(v.signatureChecks()).as("one statement, checked once").isEqualTo(1);
    Reply r = block.get(2);
    Reply changed = new Reply(r.view(), r.timestamp(), r.client(), r.replica(), r.txId(),
        r.blockHeight(), r.validationCode(), "forged", r.leafIndex(), r.leafCount(), r.path(),
        r.signature());
    assertThat(v.test(changed)).as("a remembered signature does not cover changed fields")
        .isFalse();
    byte[] bad = r.signature().clone();
    bad[0] ^= 1;
    Reply badSig = new Reply(r.view(), r.timestamp(), r.client(), r.replica(), r.txId(),
        r.blockHeight(), r.validationCode(), r.result(), r.leafIndex(), r.leafCount(), r.path(),
        bad);
    assertThat(v.signatureChecks()).as("changed fields make another statement: checked")
        .isEqualTo(2);
    assertThat(v.test(badSig)).isFalse();
    assertThat(v.test(badSig)).isFalse();
    assertThat(v.signatureChecks()).as("a bad signature is never remembered").isEqualTo(4);
    assertThat(v.test(block.get(5))).isTrue();
    assertThat(v.signatureChecks()).as("the valid statement is still remembered").isEqualTo(4);
    Reply claimsAnother = new Reply(r.view(), r.timestamp(), r.client(), new NodeId(2), r.txId(),
        r.blockHeight(), r.validationCode(), r.result(), r.leafIndex(), r.leafCount(), r.path(),
        r.signature());
    assertThat(v.test(claimsAnother)).as("node-1's statement claimed by node-2").isFalse();
  }

  @Test
  void aForgedOrUnsignedReplyNeverCountsTowardFPlusOne() throws Exception {
    BftlabClient c = new BftlabClient(genesis.clusterId(), new ClientId("client-0"),
        FakeCluster::sign, cluster.uris(), 1, Duration.ofSeconds(10),
        BftlabClient.Options.defaults().withReplyVerifier(verifier));
    Request r = c.newRequest("token", "mint", "client-0", "5");
    String cid = genesis.clusterId();
    // node-0 is honest; node-1 forges its reply with node-3's key; node-2 sends none signed.
    cluster.node(0).committed.put(r.txId(), status(reply(cid, new NodeId(0), new NodeId(0),
        r.txId(), "5")));
    cluster.node(1).committed.put(r.txId(), status(reply(cid, new NodeId(1), new NodeId(3),
        r.txId(), "5")));
    cluster.node(2).committed.put(r.txId(), status(new Reply(0, 1, new ClientId("client-0"),
        new NodeId(2), r.txId(), 2, "VALID", "5", new byte[0])));
    CompletableFuture<CommittedTx> f = c.awaitCommitted(r.txId(), Duration.ofSeconds(10));
    // a node whose reply does not count is polled again only after the client recorded its
    // answer: two polls of node-1 and node-2 mean both refusals are in (the dissent below)
    assertThat(cluster.node(1).polls.tryAcquire(2, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(cluster.node(2).polls.tryAcquire(2, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(cluster.node(0).polls.tryAcquire(1, 5, TimeUnit.SECONDS)).isTrue();
    assertThat(f).as("one genuine reply of the f+1 = 2 needed").isNotDone();

    cluster.node(3).committed.put(r.txId(), status(reply(cid, new NodeId(3), new NodeId(3),
        r.txId(), "5")));
    CommittedTx tx = f.get(10, TimeUnit.SECONDS);
    assertThat(tx.confirmedBy()).containsExactlyInAnyOrder("node-0", "node-3");
    assertThat(tx.dissent()).hasSize(2).allSatisfy(d -> assertThat(d).contains("invalid signature"));
    c.close();
  }

  private static TxStatus status(Reply reply) {
    return new TxStatus(reply.txId(), reply.blockHeight(), 0,
        ValidationCode.valueOf(reply.validationCode()), reply.result(), reply);
  }
}
