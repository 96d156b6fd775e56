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

    Block b3b = block(3, other.hash(), e);
    s.append(b3b); // held without its records: a snapshot from before the move carried them
    assertThat(s.tx(e.txId())).isEmpty();
    s.index(records(b3b));
    assertThat(s.tx(e.txId()).orElseThrow().blockHeight()).isEqualTo(3);
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

  @Test
  @DisplayName("LevelDB: a location a crash left ahead of the blocks (the index is its own "
      + "database) names nothing, before and after its height gets another block")
  void levelDbIndexAheadOfTheBlocks(@TempDir Path dir) throws Exception {
    boolean nativeDb = LevelDbProbe.nativeLoads();
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      s.append(b1, records(b1));
      s.index(records(b2)); // b2's records reached the disk, b2 did not (a power loss)
    }
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      assertThat(s.height()).isEqualTo(1);
      assertThat(s.tx(c.txId())).as("a location whose block is not held names nothing")
          .isEmpty();
      Block other = block(2, b1.hash(), d);
      s.append(other, records(other));
      assertThat(s.tx(c.txId())).as("record of the block that never was").isEmpty();
      assertThat(s.tx(d.txId()).orElseThrow().blockHeight()).isEqualTo(2);
      assertThat(s.tx(a.txId())).isPresent();
    }
  }

  @Test
  @DisplayName("LevelDB: a data directory from before the split (records in the blocks "
      + "database) is read, and its records go with a replaced block; the pure-Java port and "
      + "the journal check read the store with its index inside")
  void levelDbRecordsFromBeforeTheSplit(@TempDir Path dir) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper cbor =
        com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper.builder()
            .addModule(new org.bftlab.codec.BftlabJacksonModule()).build();
    try (org.iq80.leveldb.DB old = org.iq80.leveldb.impl.Iq80DBFactory.factory.open(
        dir.toFile(), new org.iq80.leveldb.Options().createIfMissing(true))) {
      for (Block blk : List.of(b1, b2)) {
        old.put(java.nio.ByteBuffer.allocate(9).put((byte) 'b').putLong(blk.height()).array(),
            cbor.writeValueAsBytes(blk));
        for (TxRecord r : records(blk)) {
          old.put(("t" + r.txId()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
              cbor.writeValueAsBytes(r));
        }
      }
      old.put(new byte[] {'h'}, java.nio.ByteBuffer.allocate(8).putLong(2).array());
    }
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, false)) {
      assertThat(s.height()).isEqualTo(2);
      assertThat(s.tx(a.txId()).orElseThrow().blockHeight()).isEqualTo(1);
      assertThat(s.tx(c.txId()).orElseThrow().blockHeight()).isEqualTo(2);
      Block other = block(2, b1.hash(), d, tx(6)); // another hash than b2's
      s.append(other, records(other));
      assertThat(s.tx(c.txId())).as("old record of the replaced block").isEmpty();
      assertThat(s.tx(d.txId()).orElseThrow().blockHeight()).isEqualTo(2);
    }
    assertThat(JournalCheck.verify(dir)).isPositive();
    assertThat(JournalCheck.verify(dir.resolve(LevelDbBlockStore.INDEX_DIR))).isPositive();
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, LevelDbProbe.nativeLoads())) {
      assertThat(s.tx(a.txId())).isPresent();
      assertThat(s.tx(d.txId())).isPresent();
      assertThat(s.tx(c.txId())).isEmpty();
    }
  }

  @Test
  @DisplayName("LevelDB: tx() answers only when the block's entry at the indexed position holds "
      + "the transaction (the record's code, result, client and timestamp come from it)")
  void levelDbVerifiesTheLocationAgainstTheBlock(@TempDir Path dir) throws Exception {
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, LevelDbProbe.nativeLoads())) {
      s.append(b1, records(b1));
      assertThat(s.tx(b.txId())).contains(records(b1).get(1));
      TxRecord wrong = new TxRecord(c.txId(), 1, 1, ValidationCode.VALID, "ok", CLIENT, 3, 0);
      s.index(List.of(wrong)); // names b's position
      assertThat(s.tx(c.txId())).isEmpty();
      TxRecord beyond = new TxRecord(d.txId(), 1, 7, ValidationCode.VALID, "ok", CLIENT, 4, 0);
      s.index(List.of(beyond));
      assertThat(s.tx(d.txId())).isEmpty();
    }
    assertThat(LevelDbBlockStore.indexKey(a.txId())).hasSize(33);
    assertThat(LevelDbBlockStore.indexKey("not-hex")).startsWith((byte) 'u');
  }

  @Test
  @DisplayName("LevelDB: a store whose index lost what it had synced (removed or emptied) is "
      + "refused at open, named; one that only lags behind the journal's blocks opens")
  void levelDbRefusesAnIndexThatLostSyncedRecords(@TempDir Path dir) throws Exception {
    boolean nativeDb = LevelDbProbe.nativeLoads();
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      s.append(b1, records(b1));
      s.sync();
      s.append(b2, List.of()); // its records not written yet (kill -9): the journal re-indexes
    }
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      assertThat(s.height()).isEqualTo(2);
      assertThat(s.tx(a.txId())).isPresent();
    }
    Path index = dir.resolve(LevelDbBlockStore.INDEX_DIR);
    try (var files = java.nio.file.Files.walk(index)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertThatThrownBy(() -> LevelDbBlockStore.open(dir, nativeDb))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("transaction index").hasMessageContaining("synced blocks up to 1");
    assertThatThrownBy(() -> LevelDbBlockStore.open(dir, nativeDb)) // and again: nothing kept
        .isInstanceOf(java.io.IOException.class);
  }
}
