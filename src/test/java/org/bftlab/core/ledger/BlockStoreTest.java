package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.msg.Block;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The chain in its own store (issue 9 item 7): the block-commit state keeps a bounded cache,
 * snapshots carry no block, re-appending on replay is idempotent, and a store that lost blocks
 * makes recovery refuse to run.
 */
class BlockStoreTest {
  private static final int K = 4;

  @Test
  @DisplayName("memory stays flat: 600 blocks committed, at most CACHED_BLOCKS of them in the state")
  void stateHoldsOnlyTheCache() {
    Cluster c = new Cluster(TestAuth.params(4, K));
    int n = 600;
    c.commitEverywhere(1, n);
    Driver d = c.node(1);
    assertThat(d.state.height()).isEqualTo(n);
    assertThat(d.state.cachedBlocks()).isEqualTo(BlockCommitState.CACHED_BLOCKS);
    for (long h = 1; h <= n; h++) {
      assertThat(d.state.block(h)).as("block %d from the store", h).isPresent();
    }
    assertThat(d.state.block(n + 1)).isEmpty();
    List<BlockCommitEvent> snapshot = d.core.compact(d.state, d.journal);
    assertThat(snapshot).noneMatch(e -> e instanceof BlockCommitEvent.BlockCommitted);
    // a snapshot's events do not grow with the chain: one summary + checkpoint traffic above h
    assertThat(snapshot.size()).isLessThan(4 * 2 * K + 4);
  }

  @Test
  @DisplayName("replay after a restart re-appends blocks already stored: nothing changes")
  void replayIsIdempotent() {
    Cluster c = new Cluster(TestAuth.params(4, K));
    c.commitEverywhere(1, 3 * K + 1);
    Driver d = c.node(2);
    long stored = d.state.store().height();
    List<Block> before = blocks(d, stored);
    BlockCommitState again = d.replay();
    assertThat(again.headHash()).isEqualTo(d.state.headHash());
    assertThat(d.state.store().height()).isEqualTo(stored);
    assertThat(blocks(d, stored)).isEqualTo(before);
    assertThat(d.core.recoveryError(again)).isEmpty();
  }

  @Test
  @DisplayName("a store shorter than the recovered head is refused, with the heights")
  void shortStoreIsRefused() {
    Cluster c = new Cluster(TestAuth.params(4, K));
    c.commitEverywhere(1, 2 * K);
    Driver d = c.node(1);
    List<BlockCommitEvent> snapshot = d.core.compact(d.state, d.journal);
    InMemoryBlockStore empty = new InMemoryBlockStore();
    BlockCommitCore lost = new BlockCommitCore(d.params, d.self, TestAuth.of(1, 4), empty);
    ComponentRunner<BlockCommitState, BlockCommitEvent> r =
        new ComponentRunner<>(lost, ComponentRunner.noJournal());
    r.restore(snapshot, 0);
    assertThat(lost.recoveryError(r.state())).hasValueSatisfying(why -> assertThat(why)
        .contains("holds blocks up to height 0").contains("head is block " + 2 * K));
  }

  @Test
  @DisplayName("InMemoryBlockStore: idempotent append, a different block replaces the tail, no holes")
  void storeContract() {
    Cluster c = new Cluster(TestAuth.params(4, K));
    c.commitEverywhere(1, 3);
    Cluster fork = new Cluster(TestAuth.params(4, K));
    fork.commitEverywhere(1, 1);
    fork.node(0).next(TestAuth.request("client-0", 99, "kv", "put", "x", "y"));
    InMemoryBlockStore s = new InMemoryBlockStore();
    for (Block b : blocks(c.node(0), 3)) {
      s.append(b);
      s.append(b);
    }
    assertThat(s.height()).isEqualTo(3);
    Block other = fork.node(0).state.block(2).orElseThrow();
    s.append(other);
    assertThat(s.height()).isEqualTo(2);
    assertThat(s.block(2)).contains(other);
    Cluster far = new Cluster(TestAuth.params(4, K));
    far.commitEverywhere(1, 6);
    assertThatThrownBy(() -> s.append(far.node(0).state.block(6).orElseThrow()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("hole");
  }

  @Test
  @DisplayName("the transaction index is in the store: a record above the head (written before a"
      + " crash, not journaled) is not seen, and the block that replaces it drops it")
  void indexAboveTheHeadIsInvisible() {
    Cluster c = new Cluster(TestAuth.params(4, K));
    c.commitEverywhere(1, 3);
    Cluster fork = new Cluster(TestAuth.params(4, K));
    fork.commitEverywhere(1, 3);
    fork.node(0).next(TestAuth.request("client-0", 99, "kv", "put", "x", "y"));
    Block stale = fork.node(0).state.block(4).orElseThrow();
    String ghost = stale.entries().get(0).transaction().txId();
    Driver d = c.node(1);
    d.state.store().append(stale, List.of(new org.bftlab.core.msg.TxRecord(ghost, 4, 0,
        stale.entries().get(0).code(), "ok", stale.entries().get(0).transaction().client(), 99,
        0)));
    assertThat(d.state.store().tx(ghost)).isPresent();
    assertThat(d.state.hasTx(ghost)).as("record of block 4, head is 3").isFalse();
    assertThat(d.state.tx(ghost)).isEmpty();

    c.commitEverywhere(4);
    assertThat(d.state.height()).isEqualTo(4);
    assertThat(d.state.block(4)).isNotEqualTo(Optional.of(stale));
    assertThat(d.state.hasTx(ghost)).as("dropped with the block it was in").isFalse();
    Block four = d.state.block(4).orElseThrow();
    String committed = four.entries().get(0).transaction().txId();
    assertThat(d.state.tx(committed).orElseThrow().blockHeight()).isEqualTo(4);
    assertThat(d.core.compact(d.state, d.journal).get(0))
        .isInstanceOfSatisfying(BlockCommitEvent.LedgerCompacted.class,
            lc -> assertThat(lc.txs()).as("no index in the snapshot").isEmpty());
  }

  private static List<Block> blocks(Driver d, long upTo) {
    List<Block> out = new java.util.ArrayList<>();
    for (long h = 1; h <= upTo; h++) {
      out.add(d.state.block(h).orElseThrow());
    }
    return out;
  }
}
