package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.TxRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Receipts (issue 14 item 2): for every transaction of a 500-transaction run the receipt a
 * replica builds verifies offline; forged and truncated ones are rejected with the reason.
 */
class ReceiptTest {
  private static final int K = 4;
  private static final int BLOCKS = 250; // two transactions each: 500 transactions
  private static Cluster cluster;
  private static ReceiptVerifier verifier;

  @BeforeAll
  static void run() {
    cluster = new Cluster(TestAuth.params(4, K));
    cluster.commitEverywhere(1, BLOCKS);
    verifier = new ReceiptVerifier(TestAuth.CLUSTER, NodeId.range(4), TestAuth.of(0, 4));
  }

  private static Receipt receipt(String txId) {
    Receipt.Answer a = Receipt.of(TestAuth.CLUSTER, cluster.node(1).state, txId);
    assertThat(a).isInstanceOf(Receipt.Found.class);
    return ((Receipt.Found) a).receipt();
  }

  private static String txAt(long height) {
    return cluster.node(1).state.txRecords().stream().filter(r -> r.blockHeight() == height)
        .findFirst().orElseThrow().txId();
  }

  @Test
  @DisplayName("every covered transaction of 500 has a receipt that verifies; the rest: not yet")
  void everyReceiptVerifies() {
    long stable = cluster.node(1).state.lastStableCheckpoint();
    assertThat(stable).isEqualTo(BLOCKS - BLOCKS % K);
    int verified = 0;
    for (TxRecord r : cluster.node(1).state.txRecords()) {
      Receipt.Answer a = Receipt.of(TestAuth.CLUSTER, cluster.node(1).state, r.txId());
      if (r.blockHeight() > stable) {
        assertThat(a).isInstanceOf(Receipt.NotYetCovered.class);
        continue;
      }
      Receipt receipt = ((Receipt.Found) a).receipt();
      assertThat(verifier.check(receipt)).as(r.txId()).isEmpty();
      assertThat(receipt.chain()).hasSizeLessThan(K);
      assertThat(receipt.checkpointSeqNo() % K).isZero();
      verified++;
    }
    assertThat(verified).isEqualTo(2 * (int) stable);
    assertThat(Receipt.of(TestAuth.CLUSTER, cluster.node(1).state, "ab".repeat(32)))
        .isInstanceOf(Receipt.UnknownTx.class);
  }

  @Test
  @DisplayName("one CHECKPOINT signature removed (fewer than 2f+1) is rejected")
  void tooFewSignatures() {
    Receipt r = receipt(txAt(5));
    List<Checkpoint> cert = new ArrayList<>(r.certificate());
    while (cert.size() > 2) {
      cert.remove(cert.size() - 1);
    }
    assertThat(verifier.check(with(r, cert))).hasValueSatisfying(why ->
        assertThat(why).contains("2 distinct signers, 2f+1 = 3 needed"));
  }

  @Test
  @DisplayName("a signature from a non-member is rejected")
  void nonMember() {
    Receipt r = receipt(txAt(6));
    Checkpoint first = r.certificate().get(0);
    NodeId stranger = new NodeId(7);
    Checkpoint forged = Checkpoint.sign(TestAuth.CLUSTER, first.seqNo(), first.digest(), stranger,
        TestAuth.of(7, 8));
    List<Checkpoint> cert = new ArrayList<>(r.certificate().subList(0, 2));
    cert.add(forged);
    assertThat(verifier.check(with(r, cert))).hasValueSatisfying(why ->
        assertThat(why).contains("non-member node-7"));
  }

  @Test
  @DisplayName("a wrong Merkle path sibling is rejected")
  void wrongSibling() {
    Receipt r = receipt(txAt(7));
    List<Digest> path = new ArrayList<>(r.path());
    path.set(0, Digest.sha256("not the sibling".getBytes()));
    Receipt bad = new Receipt(r.clusterId(), r.transaction(), r.txIndex(), r.code(), r.result(),
        r.header(), path, r.outcomes(), r.chain(), r.worldRoot(), r.certificate());
    assertThat(verifier.check(bad)).hasValueSatisfying(why ->
        assertThat(why).contains("Merkle path"));
  }

  @Test
  @DisplayName("the header of another block is rejected")
  void headerOfAnotherBlock() {
    Receipt r = receipt(txAt(9));
    Receipt other = receipt(txAt(10));
    Receipt bad = new Receipt(r.clusterId(), r.transaction(), r.txIndex(), r.code(), r.result(),
        other.header(), r.path(), r.outcomes(), r.chain(), r.worldRoot(), r.certificate());
    assertThat(verifier.check(bad)).isPresent();
    // even with that block's own path and outcomes, the transaction is not its leaf
    Receipt swapped = new Receipt(r.clusterId(), r.transaction(), r.txIndex(), r.code(),
        r.result(), other.header(), other.path(), other.outcomes(), other.chain(),
        other.worldRoot(), other.certificate());
    assertThat(verifier.check(swapped)).hasValueSatisfying(why ->
        assertThat(why).contains("Merkle path"));
  }

  @Test
  @DisplayName("a forged signature, a broken header chain and a false outcome are rejected")
  void otherForgeries() {
    Receipt r = receipt(txAt(1));
    List<Checkpoint> cert = new ArrayList<>(r.certificate());
    Checkpoint c = cert.get(0);
    cert.set(0, new Checkpoint(c.seqNo(), c.digest(), c.sender(), TestAuth.forged(c.signature())));
    assertThat(verifier.check(with(r, cert))).hasValueSatisfying(why ->
        assertThat(why).contains("does not verify"));
    Receipt truncated = new Receipt(r.clusterId(), r.transaction(), r.txIndex(), r.code(),
        r.result(), r.header(), r.path(), r.outcomes(), r.chain().subList(0, 1), r.worldRoot(),
        r.certificate());
    assertThat(verifier.check(truncated)).hasValueSatisfying(why ->
        assertThat(why).contains("certificate"));
    Receipt lie = new Receipt(r.clusterId(), r.transaction(), r.txIndex(),
        org.bftlab.core.msg.ValidationCode.CONTRACT_REJECTED, r.result(), r.header(), r.path(),
        r.outcomes(), r.chain(), r.worldRoot(), r.certificate());
    assertThat(verifier.check(lie)).hasValueSatisfying(why -> assertThat(why).contains("claims"));
  }

  private static Receipt with(Receipt r, List<Checkpoint> cert) {
    return new Receipt(r.clusterId(), r.transaction(), r.txIndex(), r.code(), r.result(),
        r.header(), r.path(), r.outcomes(), r.chain(), r.worldRoot(), cert);
  }
}
