package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bftlab.api.TxStatus;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.junit.jupiter.api.Test;

/**
 * A block's REPLYs are signed once, together, at execution; reads never sign; the index stays
 * bounded.
 */
class CommittedIndexTest {
  private final AtomicInteger signed = new AtomicInteger();
  private final Authenticator auth = new Authenticator() {
    @Override
    public byte[] sign(byte[] payload) {
      signed.incrementAndGet();
      return Digest.sha256(payload).bytes();
    }

    @Override
    public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
      return java.util.Arrays.equals(Digest.sha256(payload).bytes(), signature);
    }

    @Override
    public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
      return true;
    }

    @Override
    public boolean knowsClient(ClientId client) {
      return true;
    }
  };
  private final ProtocolParams params = ProtocolParams.defaults("c", 4);

  private CommittedIndex index(int capacity) {
    return new CommittedIndex(new BlockCommitCore(params, new NodeId(1), auth), capacity);
  }

  private static TxRecord tx(int i, long height) {
    return new TxRecord("tx-" + i, height, 0, ValidationCode.VALID, "ok", new ClientId("client-0"),
        i, 0);
  }

  @Test
  void aBlocksRepliesAreSignedOnceAtExecutionAndReadsSignNothing() {
    CommittedIndex index = index(100);
    List<TxStatus> pushed = new ArrayList<>();
    List<Integer> calls = new ArrayList<>();
    index.subscribe(block -> {
      calls.add(block.size());
      pushed.addAll(block);
    });
    index.onExecuted(new Output.Executed(2, 1, Digest.sha256(new byte[] {1}),
        List.of(tx(1, 1), tx(2, 1), tx(3, 1))));
    assertThat(signed).hasValue(1);
    for (int k = 0; k < 5; k++) {
      assertThat(index.transaction("tx-1")).hasValueSatisfying(s -> {
        assertThat(s.reply().replica()).isEqualTo(new NodeId(1));
        assertThat(s.reply().view()).isEqualTo(2);
        assertThat(s.reply().blockHeight()).isEqualTo(1);
      });
    }
    assertThat(signed).hasValue(1);
    assertThat(index.signatures()).isEqualTo(1);
    assertThat(calls).as("one push per block").containsExactly(3);
    assertThat(pushed).extracting(TxStatus::txId).containsExactly("tx-1", "tx-2", "tx-3");
    assertThat(pushed).extracting(s -> s.reply().leafIndex()).containsExactly(0, 1, 2);
    assertThat(pushed).allSatisfy(s -> {
      assertThat(s.reply().leafCount()).isEqualTo(3);
      assertThat(s.reply().signature()).isEqualTo(pushed.get(0).reply().signature());
      assertThat(s.reply().verify("c", auth)).as("reply %s verifies by its path", s.txId())
          .isTrue();
    });
    index.onExecuted(new Output.Executed(2, 2, Digest.sha256(new byte[] {2}), List.of()));
    assertThat(index.signatures()).as("a block that executed nothing here signs nothing")
        .isEqualTo(1);
    assertThat(index.head().lastExecuted()).isEqualTo(2);
  }

  @Test
  void keepsAtMostCapacityTransactionsDroppingTheOldest() {
    CommittedIndex index = index(3);
    for (int i = 1; i <= 5; i++) {
      index.onExecuted(new Output.Executed(0, i, Digest.sha256(new byte[] {(byte) i}),
          List.of(tx(i, i))));
    }
    assertThat(index.transaction("tx-1")).isEmpty();
    assertThat(index.transaction("tx-2")).isEmpty();
    assertThat(index.transaction("tx-3")).isPresent();
    assertThat(index.transaction("tx-5")).isPresent();
  }

  @Test
  void statusFieldsFollowSignalsMonotonically() {
    CommittedIndex index = index(10);
    index.seed(new CommittedIndex.Head(1, 1, 7, Digest.sha256(new byte[] {7}), 4));
    index.onSignal(new Signal.ViewChangeRequested(2));
    assertThat(index.head().pendingView()).isEqualTo(2);
    assertThat(index.head().view()).isEqualTo(1);
    index.onSignal(new Signal.ViewInstalled(2, new NodeId(2), 4, List.of()));
    index.onSignal(new Signal.CheckpointStable(8, Digest.ZERO, List.of()));
    index.onExecuted(new Output.Executed(2, 6, Digest.ZERO, List.of()));  // older: ignored
    assertThat(index.head()).isEqualTo(
        new CommittedIndex.Head(2, 2, 7, Digest.sha256(new byte[] {7}), 8));
    assertThat(index.seeded()).isTrue();
  }
}
