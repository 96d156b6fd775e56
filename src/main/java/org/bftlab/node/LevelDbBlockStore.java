package org.bftlab.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bftlab.codec.BftlabJacksonModule;
import org.bftlab.core.ledger.BlockStore;
import org.bftlab.core.ledger.CheckpointCertificate;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.TxRecord;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;

/**
 * The node's {@link BlockStore}: two LevelDB databases (same library as the journal: native JNI
 * where it loads, else the pure-Java port — {@link LevelDbProbe}). In {@code <data-dir>/blocks}:
 * {@code 'b'} + height (8 bytes, big-endian) → the block in CBOR, {@code 'c'} + seqNo → a stable
 * checkpoint's certificate, {@code 'h'} → the highest height (in the same atomic batch as that
 * block). In {@code <data-dir>/blocks/tx-index}, the transaction index: {@code 't'} + txId
 * (UTF-8) → the transaction's {@link TxRecord} in CBOR, {@code 'H'} + height → the txIds indexed
 * for that height, and {@code 'h'} → the highest height indexed, each height's in one atomic
 * batch, written right after its block.
 *
 * <p>Why two: blocks arrive in height order, so their keys only ever grow and LevelDB moves
 * their files down its levels without rewriting them; transaction ids are random. In one
 * database every memtable flush spanned both key ranges, and each compaction rewrote the blocks
 * between the index's keys again and again: per replica the store's compactions wrote 15–20
 * times what it stored, more the longer the chain (222–296 MB a minute at ~1,300 tx/s after
 * three minutes), and throughput fell over a ten-minute run.
 *
 * <p>Durability: a write reaches the operating system before {@link #append} returns (it
 * survives {@code kill -9}); {@link #sync()} — called before a snapshot drops the blocks from the
 * journal — makes everything durable with one fsync per database (a synced marker write).
 * Between two snapshots the journal, fsynced, holds the same blocks and a restart re-appends
 * them, re-indexing them ({@link #index}). A power loss may leave the index ahead of the blocks
 * (the two files reach the disk in any order): records of heights that are then replaced go
 * with their height's list when the replacing block is appended. Data directories from before the
 * split keep their records in the blocks database; they are read there too. Reads are
 * thread-safe; writes come from the block-commit actor only. {@link #close()} after the actor
 * system has stopped.
 */
public final class LevelDbBlockStore implements BlockStore, AutoCloseable {
  private static final byte BLOCK = 'b';
  private static final byte CERTIFICATE = 'c';
  private static final byte TX = 't';
  /** In the index: the txIds indexed at a height, so that a replaced height's records go. */
  private static final byte HEIGHT_TXS = 'H';
  private static final byte[] SYNC_MARK = {'s'};
  /** The highest height held (blocks) or indexed (index), written in the same batch. */
  private static final byte[] HEIGHT = {'h'};
  /** The index's directory inside the blocks directory. */
  static final String INDEX_DIR = "tx-index";

  private final Path dir;
  private final DB db;
  private final DB indexDb;
  /** The blocks database holds records written before the split (read there too). */
  private final boolean legacyIndex;
  private final ObjectMapper cbor;
  private volatile long height;
  /** The highest height whose records are in the index (may be above {@code height}). */
  private long indexedHeight;
  private volatile boolean closed;

  private LevelDbBlockStore(Path dir, DB db, DB indexDb) {
    this.dir = dir;
    this.db = db;
    this.indexDb = indexDb;
    this.cbor = CBORMapper.builder().addModule(new BftlabJacksonModule()).build();
    this.height = readLong(db, HEIGHT);
    this.indexedHeight = readLong(indexDb, HEIGHT);
    this.legacyIndex = hasPrefix(db, TX);
  }

  /**
   * Opens (or creates) the store in {@code dir}, its transaction index in {@code dir/tx-index}.
   *
   * @param nativeLevelDb the JNI LevelDB (as the journal uses), else the pure-Java port
   * @throws IOException when it cannot be opened (named, with LevelDB's reason)
   */
  public static LevelDbBlockStore open(Path dir, boolean nativeLevelDb) throws IOException {
    Files.createDirectories(dir);
    Path index = dir.resolve(INDEX_DIR);
    Files.createDirectories(index);
    DBFactory factory = nativeLevelDb ? JniDBFactory.factory : Iq80DBFactory.factory;
    DB blocks = openDb(factory, dir);
    try {
      return new LevelDbBlockStore(dir, blocks, openDb(factory, index));
    } catch (IOException | RuntimeException e) {
      blocks.close();
      throw e;
    }
  }

  private static DB openDb(DBFactory factory, Path dir) throws IOException {
    try {
      return factory.open(dir.toFile(), new Options().createIfMissing(true).paranoidChecks(true));
    } catch (IOException | RuntimeException e) {
      throw new IOException("block store " + dir + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /** The directory of the store. */
  public Path dir() {
    return dir;
  }

  @Override
  public void append(Block block, List<TxRecord> index) {
    Objects.requireNonNull(block, "block");
    long h = block.height();
    long top = height;
    if (h > top + 1) {
      throw new IllegalStateException("block " + h + " leaves a hole: " + dir + " holds up to "
          + top);
    }
    BlockStore.requireSameHeight(block, index);
    if (h <= top && block(h).map(b -> b.hash().equals(block.hash())).orElse(false)) {
      index(index); // already stored (journal replay); its records may not be (yet)
      return;
    }
    try (WriteBatch batch = db.createWriteBatch();
        WriteBatch indexBatch = indexDb.createWriteBatch()) {
      // heights h and above were never acknowledged (the journal did not record them): their
      // blocks go, and their records, wherever they are (the index may be ahead of the blocks)
      for (long above = h; above <= Math.max(top, indexedHeight); above++) {
        long at = above;
        for (String txId : indexedAt(at)) {
          dropRecord(txId, at, indexBatch, batch);
        }
        block(at).ifPresent(dropped -> dropped.entries().forEach(e ->
            dropRecord(e.transaction().txId(), at, indexBatch, batch)));
        indexBatch.delete(key(HEIGHT_TXS, at));
        if (at > h) {
          batch.delete(key(BLOCK, at));
        }
      }
      batch.put(key(BLOCK, h), cbor.writeValueAsBytes(block));
      batch.put(HEIGHT, longBytes(h));
      db.write(batch, new WriteOptions().sync(false));
      height = h;
      indexedHeight = Math.min(indexedHeight, h - 1);
      putRecords(h, index, false, indexBatch);
      indexDb.write(indexBatch, new WriteOptions().sync(false));
    } catch (IOException e) {
      throw new UncheckedIOException("block store " + dir + ": writing block " + h, e);
    }
  }

  /** Deletes {@code txId}'s record if it names height {@code at} (a later one is another's). */
  private void dropRecord(String txId, long at, WriteBatch indexBatch, WriteBatch legacyBatch) {
    if (record(indexDb, txId).filter(r -> r.blockHeight() == at).isPresent()) {
      indexBatch.delete(txKey(txId));
    }
    if (legacyIndex && record(db, txId).filter(r -> r.blockHeight() == at).isPresent()) {
      legacyBatch.delete(txKey(txId));
    }
  }

  /**
   * Adds {@code records} (all of height {@code h}) and that height's list to {@code batch}; the
   * list adds to the one held when {@code merge} (re-indexing a held block), else replaces it.
   */
  private void putRecords(long h, Collection<TxRecord> records, boolean merge, WriteBatch batch)
      throws IOException {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>(merge ? indexedAt(h) : List.of());
    for (TxRecord r : records) {
      batch.put(txKey(r.txId()), cbor.writeValueAsBytes(r));
      ids.add(r.txId());
    }
    batch.put(key(HEIGHT_TXS, h), cbor.writeValueAsBytes(List.copyOf(ids)));
    if (h > indexedHeight) {
      indexedHeight = h;
      batch.put(HEIGHT, longBytes(h));
    }
  }

  /** The txIds indexed at height {@code h} (empty when none). */
  private List<String> indexedAt(long h) {
    byte[] bytes = indexDb.get(key(HEIGHT_TXS, h));
    if (bytes == null) {
      return List.of();
    }
    return List.of(read(bytes, String[].class, "the index list of " + h));
  }

  @Override
  public Optional<TxRecord> tx(String txId) {
    if (closed) {
      return Optional.empty();
    }
    Optional<TxRecord> r = record(indexDb, txId);
    return r.isEmpty() && legacyIndex ? record(db, txId) : r;
  }

  private Optional<TxRecord> record(DB in, String txId) {
    byte[] bytes = in.get(txKey(txId));
    return bytes == null ? Optional.empty() : Optional.of(read(bytes, TxRecord.class, txId));
  }

  @Override
  public void index(Collection<TxRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    Map<Long, List<TxRecord>> byHeight = new java.util.TreeMap<>();
    for (TxRecord r : records) {
      byHeight.computeIfAbsent(r.blockHeight(), k -> new java.util.ArrayList<>()).add(r);
    }
    try (WriteBatch batch = indexDb.createWriteBatch()) {
      for (Map.Entry<Long, List<TxRecord>> e : byHeight.entrySet()) {
        putRecords(e.getKey(), e.getValue(), true, batch);
      }
      indexDb.write(batch, new WriteOptions().sync(false));
    } catch (IOException e) {
      throw new UncheckedIOException("block store " + dir + ": writing " + records.size()
          + " index records", e);
    }
  }

  @Override
  public Optional<Block> block(long h) {
    if (h < 1 || closed) {
      return Optional.empty();
    }
    byte[] bytes = db.get(key(BLOCK, h));
    return bytes == null ? Optional.empty() : Optional.of(read(bytes, Block.class, h));
  }

  @Override
  public long height() {
    return height;
  }

  @Override
  public void certify(CheckpointCertificate certificate) {
    try {
      db.put(key(CERTIFICATE, certificate.seqNo()), cbor.writeValueAsBytes(certificate),
          new WriteOptions().sync(false));
    } catch (IOException e) {
      throw new UncheckedIOException("block store " + dir + ": writing the certificate of "
          + certificate.seqNo(), e);
    }
  }

  @Override
  public Optional<CheckpointCertificate> certificateCovering(long h) {
    try (DBIterator it = db.iterator()) {
      it.seek(key(CERTIFICATE, Math.max(h, 0)));
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Map.Entry<byte[], byte[]> e = it.next();
      if (e.getKey()[0] != CERTIFICATE) {
        return Optional.empty();
      }
      return Optional.of(read(e.getValue(), CheckpointCertificate.class, h));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void sync() {
    db.put(SYNC_MARK, longBytes(height), new WriteOptions().sync(true));
    indexDb.put(SYNC_MARK, longBytes(height), new WriteOptions().sync(true));
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      try {
        indexDb.close();
      } finally {
        db.close();
      }
    }
  }

  private static long readLong(DB in, byte[] key) {
    byte[] top = in.get(key);
    return top == null ? 0 : ByteBuffer.wrap(top).getLong();
  }

  private static boolean hasPrefix(DB in, byte prefix) {
    try (DBIterator it = in.iterator()) {
      it.seek(new byte[] {prefix});
      return it.hasNext() && it.peekNext().getKey()[0] == prefix;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  private <T> T read(byte[] bytes, Class<T> type, Object at) {
    try {
      return cbor.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("block store " + dir + ": entry at " + at
          + " cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] txKey(String txId) {
    byte[] id = txId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put(TX).put(id).array();
  }

  private static byte[] key(int prefix, long n) {
    return ByteBuffer.allocate(9).put((byte) prefix).putLong(n).array();
  }
}
