package org.bftlab.core.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.bftlab.core.agreement.FakeAuth;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica's REPLYs for one block under one signature (OSDI'99 §4.1: "replies with valid
 * signatures", here one signature over the RFC 6962 root of the block's replies): every reply
 * verifies by its own fields and audit path, and changing anything a client relies on breaks it.
 */
class ReplyTest {
  private static final String CLUSTER = FakeAuth.CLUSTER;
  private static final NodeId REPLICA = new NodeId(2);

  private final AtomicInteger signatures = new AtomicInteger();
  private final FakeAuth auth = new FakeAuth(REPLICA, 4) {
    @Override
    public byte[] sign(byte[] payload) {
      signatures.incrementAndGet();
      return super.sign(payload);
    }
  };

  private static List<Reply.Outcome> outcomes(int m) {
    List<Reply.Outcome> out = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      out.add(new Reply.Outcome(100 + k, new ClientId("client-" + (k % 3)), "tx-" + k,
          k % 4 == 3 ? "CONTRACT_REJECTED" : "VALID", "result " + k));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8, 13, 64, 100})
  void oneSignatureCoversEveryReplyOfTheBlockAndEachVerifiesByItsPath(int m) {
    List<Reply> replies = Reply.signBlock(CLUSTER, 3, REPLICA, 7, outcomes(m), auth);
    assertThat(signatures).hasValue(1);
    assertThat(replies).hasSize(m);
    for (int k = 0; k < m; k++) {
      Reply r = replies.get(k);
      assertThat(r.txId()).isEqualTo("tx-" + k);
      assertThat(r.leafIndex()).isEqualTo(k);
      assertThat(r.leafCount()).isEqualTo(m);
      assertThat(r.view()).isEqualTo(3);
      assertThat(r.blockHeight()).isEqualTo(7);
      assertThat(r.signature()).isEqualTo(replies.get(0).signature());
      assertThat(r.verify(CLUSTER, auth)).as("reply %d of %d", k, m).isTrue();
    }
  }

  @Test
  void aReplyForOneTransactionAloneIsAStatementOfOneLeaf() {
    Reply r = Reply.sign(CLUSTER, 0, 5, new ClientId("client-0"), REPLICA, "tx", 2, "VALID", "ok",
        auth);
    assertThat(r.leafCount()).isEqualTo(1);
    assertThat(r.path()).isEmpty();
    assertThat(r.verify(CLUSTER, auth)).isTrue();
    assertThat(r.verify("another-cluster", auth)).as("bound to its cluster").isFalse();
  }

  @Test
  void changingAnyFieldOrThePathBreaksTheSignature() {
    long seed = System.nanoTime();
    System.out.println("ReplyTest seed " + seed);
    Random random = new Random(seed);
    List<Reply> replies = Reply.signBlock(CLUSTER, 1, REPLICA, 9, outcomes(11), auth);
    List<Reply> other = Reply.signBlock(CLUSTER, 1, REPLICA, 10, outcomes(11), auth);
    for (int round = 0; round < 50; round++) {
      int k = random.nextInt(replies.size());
      Reply r = replies.get(k);
      List<Digest> path = r.path();
      List<Digest> bent = new ArrayList<>(path);
      bent.set(random.nextInt(bent.size()), Digest.sha256(new byte[] {(byte) round}));
      int j = (k + 1 + random.nextInt(replies.size() - 1)) % replies.size();
      List<Reply> forged = List.of(
          with(r, r.view() + 1, r.timestamp(), r.client(), r.txId(), r.validationCode(), r.result()),
          with(r, r.view(), r.timestamp() + 1, r.client(), r.txId(), r.validationCode(), r.result()),
          with(r, r.view(), r.timestamp(), new ClientId("client-9"), r.txId(), r.validationCode(),
              r.result()),
          with(r, r.view(), r.timestamp(), r.client(), "tx-x", r.validationCode(), r.result()),
          with(r, r.view(), r.timestamp(), r.client(), r.txId(), "MVCC_READ_CONFLICT", r.result()),
          with(r, r.view(), r.timestamp(), r.client(), r.txId(), r.validationCode(), "other"),
          new Reply(r.view(), r.timestamp(), r.client(), new NodeId(1), r.txId(), r.blockHeight(),
              r.validationCode(), r.result(), r.leafIndex(), r.leafCount(), path, r.signature()),
          new Reply(r.view(), r.timestamp(), r.client(), REPLICA, r.txId(), r.blockHeight() + 1,
              r.validationCode(), r.result(), r.leafIndex(), r.leafCount(), path, r.signature()),
          new Reply(r.view(), r.timestamp(), r.client(), REPLICA, r.txId(), r.blockHeight(),
              r.validationCode(), r.result(), j, r.leafCount(), path, r.signature()),
          new Reply(r.view(), r.timestamp(), r.client(), REPLICA, r.txId(), r.blockHeight(),
              r.validationCode(), r.result(), r.leafIndex(), r.leafCount(), bent, r.signature()),
          new Reply(r.view(), r.timestamp(), r.client(), REPLICA, r.txId(), r.blockHeight(),
              r.validationCode(), r.result(), r.leafIndex(), r.leafCount(),
              path.subList(0, path.size() - 1), r.signature()),
          // another block's path and signature for this reply's fields
          new Reply(r.view(), r.timestamp(), r.client(), REPLICA, r.txId(), r.blockHeight(),
              r.validationCode(), r.result(), k, r.leafCount(), other.get(k).path(),
              other.get(k).signature()));
      for (int i = 0; i < forged.size(); i++) {
        assertThat(forged.get(i).verify(CLUSTER, auth)).as("seed %d, reply %d, change %d", seed,
            k, i).isFalse();
      }
      assertThat(r.verify(CLUSTER, auth)).isTrue();
    }
  }

  @Test
  void malformedLeafPositionsAreRefusedOnConstruction() {
    ClientId c = new ClientId("client-0");
    assertThatThrownBy(() -> new Reply(0, 1, c, REPLICA, "tx", 1, "VALID", "", 1, 1, List.of(),
        new byte[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf 1 of 1");
    assertThatThrownBy(() -> new Reply(0, 1, c, REPLICA, "tx", 1, "VALID", "", 0, 0, List.of(),
        new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Reply(0, 1, c, REPLICA, "tx", 1, "VALID", "", -1, 3, List.of(),
        new byte[0])).isInstanceOf(IllegalArgumentException.class);
    List<Digest> tooLong = java.util.Collections.nCopies(Reply.MAX_PATH + 1, Digest.ZERO);
    assertThatThrownBy(() -> new Reply(0, 1, c, REPLICA, "tx", 1, "VALID", "", 0, 2, tooLong,
        new byte[0])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    assertThatThrownBy(() -> Reply.signBlock(CLUSTER, 0, REPLICA, 1, List.of(), auth))
        .isInstanceOf(IllegalArgumentException.class);
    Reply pathTooShort = new Reply(0, 1, c, REPLICA, "tx", 1, "VALID", "", 0, 4, List.of(),
        new byte[64]);
    assertThat(pathTooShort.signedBytes(CLUSTER)).isEmpty();
    assertThat(pathTooShort.verify(CLUSTER, auth)).isFalse();
  }

  private static Reply with(Reply r, long view, long timestamp, ClientId client, String txId,
      String code, String result) {
    return new Reply(view, timestamp, client, r.replica(), txId, r.blockHeight(), code, result,
        r.leafIndex(), r.leafCount(), r.path(), r.signature());
  }
}
