package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.bftlab.core.ledger.BlockStore;
import org.bftlab.core.ledger.InMemoryBlockStore;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction index in the block store (issue 9 item 7: heap flat as the chain grows): a
 * block's records are written with it, survive a reopen, and go when the block is replaced; the
 * same contract for the LevelDB store and the simulator's in-memory one.
 */
class BlockStoreIndexTest {
  private static final ClientId CLIENT = new ClientId("client-0");

  private static Request tx(long t) {
    return new Request("idx", CLIENT, t, "kv", "put", List.of("k" + t, "v"), new byte[64]);
  }

  private static Block block(long h, Digest previous, Request... txs) {
    List<BlockEntry> entries = java.util.Arrays.stream(txs)
        .map(r -> new BlockEntry(r, ValidationCode.VALID, "ok")).toList();
    return new Block(new BlockHeader(h, previous, Digest.sha256(("b" + h + txs.length).getBytes()),
        Digest.ZERO, txs.length), entries);
  }

  private static List<TxRecord> records(Block b) {
    List<TxRecord> out = new java.util.ArrayList<>();
    for (int i = 0; i < b.entries().size(); i++) {
      Request r = b.entries().get(i).transaction();
      out.add(new TxRecord(r.txId(), b.height(), i, ValidationCode.VALID, "ok", r.client(),
          r.timestamp(), 0));
    }
    return out;
  }

  private final Request a = tx(1);
  private final Request b = tx(2);
  private final Request c = tx(3);
  private final Request d = tx(4);
  private final Request e = tx(5);
  private final Block b1 = block(1, Digest.ZERO, a, b);
  private final Block b2 = block(2, b1.hash(), c);
  private final Block b3 = block(3, b2.hash(), e);

  /** Appends b1..b3 with their records, replays b2, then replaces b2 by a block holding d. */
  private void contract(BlockStore s) {
    s.append(b1, records(b1));
    s.append(b2, records(b2));
    s.append(b3, records(b3));
    s.append(b2, records(b2)); // replay: nothing changes
    assertThat(s.tx(a.txId())).hasValueSatisfying(r -> {
      assertThat(r.blockHeight()).isEqualTo(1);
      assertThat(r.txIndex()).isZero();
    });
    assertThat(s.tx(b.txId()).orElseThrow().txIndex()).isEqualTo(1);
    assertThat(s.tx(c.txId()).orElseThrow().blockHeight()).isEqualTo(2);
    assertThat(s.tx(e.txId()).orElseThrow().blockHeight()).isEqualTo(3);
    assertThat(s.tx(d.txId())).isEmpty();
    assertThatThrownBy(() -> s.append(b3, records(b2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names height 2");

    Block other = block(2, b1.hash(), d, tx(6));
    s.append(other, records(other)); // never acknowledged: b2, b3 and their records go
    assertThat(s.height()).isEqualTo(2);
    assertThat(s.tx(c.txId())).as("record of the replaced block").isEmpty();
    assertThat(s.tx(e.txId())).as("record of the dropped block above").isEmpty();
    assertThat(s.tx(d.txId()).orElseThrow().blockHeight()).isEqualTo(2);
    assertThat(s.tx(a.txId())).as("records below are kept").isPresent();

    s.index(records(b3)); // what a snapshot from before the move carried
    assertThat(s.tx(e.txId())).isPresent();
  }

  @Test
  @DisplayName("in memory: records with their block, dropped with it")
  void inMemory() {
    InMemoryBlockStore s = new InMemoryBlockStore();
    contract(s);
    s.wipe();
    assertThat(s.tx(a.txId())).isEmpty();
  }

  @Test
  @DisplayName("LevelDB: records with their block, dropped with it, kept across a reopen")
  void levelDb(@TempDir Path dir) throws Exception {
    boolean nativeDb = LevelDbProbe.nativeLoads();
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      contract(s);
    }
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      assertThat(s.tx(d.txId())).hasValueSatisfying(r -> {
        assertThat(r.blockHeight()).isEqualTo(2);
        assertThat(r.client()).isEqualTo(CLIENT);
        assertThat(r.timestamp()).isEqualTo(4);
      });
      assertThat(s.tx(c.txId())).isEmpty();
      assertThat(s.tx(a.txId())).isPresent();
    }
  }
}
