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
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
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
 * block). In {@code <data-dir>/blocks/tx-index}, the transaction index, written right after its
 * block: {@code 'h'} → the highest height indexed, and {@code 'x'} + the 32 bytes of a hex txId
 * (or {@code 'u'} + the UTF-8 of any other) → where the transaction is: block height (8 bytes),
 * index in the block (4) and the view its batch was committed in (8). {@link #tx} reads the rest
 * of the {@link TxRecord} (validation code, result, client, timestamp) from the block's entry,
 * and answers only when that entry holds the transaction: a location that a crash left pointing
 * at a block that never was, or was replaced, names nothing.
 *
 * <p>Why two, and why so small: blocks arrive in height order, so their keys only ever grow and
 * LevelDB moves their files down its levels without rewriting them; transaction ids are random,
 * and every compaction of random keys rewrites what lies between them. In one database with
 * whole records, the compactions rewrote the blocks between the index's keys again and again:
 * per replica they wrote 15–20 times what the store held, more the longer the chain (222–296 MB a
 * minute at ~1,300 tx/s three minutes in), and throughput fell over a ten-minute run.
 *
 * <p>Durability: a write reaches the operating system before {@link #append} returns (it
 * survives {@code kill -9}); {@link #sync()} — called before a snapshot drops the blocks from the
 * journal — makes everything durable with one fsync per database (a synced marker write).
 * Between two snapshots the journal, fsynced, holds the same blocks and a restart re-appends
 * them, re-indexing them ({@link #index}). Data directories from before the split keep their
 * records ({@code 't'} + txId → the {@link TxRecord} in CBOR) in the blocks database; they are
 * read there too, and dropped with their block. Reads are thread-safe; writes come from the
 * block-commit actor only. {@link #close()} after the actor system has stopped.
 */
public final class LevelDbBlockStore implements BlockStore, AutoCloseable {
  private static final byte BLOCK = 'b';
  private static final byte CERTIFICATE = 'c';
  /** Records of data directories from before the split, in the blocks database. */
  private static final byte LEGACY_TX = 't';
  /** In the index: a hex txId's 32 bytes. */
  private static final byte HEX_TX = 'x';
  /** In the index: any other txId's UTF-8. */
  private static final byte UTF8_TX = 'u';
  private static final byte[] SYNC_MARK = {'s'};
  /** The highest height held, written in the same batch as that block. */
  private static final byte[] HEIGHT = {'h'};
  /** The index's directory inside the blocks directory. */
  static final String INDEX_DIR = "tx-index";

  private final Path dir;
  private final DB db;
  private final DB indexDb;
  /** The blocks database holds records written before the split (read there too). */
  private final boolean legacyIndex;
  /** The highest height whose locations are written (the index's {@code 'h'}). */
  private long indexedHeight;
  private final ObjectMapper cbor;
  private volatile long height;
  private volatile boolean closed;

  private LevelDbBlockStore(Path dir, DB db, DB indexDb) {
    this.dir = dir;
    this.db = db;
    this.indexDb = indexDb;
    this.cbor = CBORMapper.builder().addModule(new BftlabJacksonModule()).build();
    this.height = readLong(db, HEIGHT);
    this.indexedHeight = readLong(indexDb, HEIGHT);
    this.legacyIndex = hasPrefix(db, LEGACY_TX);
  }

  /**
   * Opens (or creates) the store in {@code dir}, its transaction index in {@code dir/tx-index}.
   *
   * @param nativeLevelDb the JNI LevelDB (as the journal uses), else the pure-Java port
   * @throws IOException when it cannot be opened (named, with LevelDB's reason), or when the
   *     index lost what the store had synced (emptied or removed): duplicate detection would
   *     then differ from the other replicas'
   */
  public static LevelDbBlockStore open(Path dir, boolean nativeLevelDb) throws IOException {
    Files.createDirectories(dir);
    DBFactory factory = nativeLevelDb ? JniDBFactory.factory : Iq80DBFactory.factory;
    DB blocks = openDb(factory, dir);
    DB index = null;
    try {
      Path indexDir = dir.resolve(INDEX_DIR);
      boolean indexExisted = Files.exists(indexDir.resolve("CURRENT"));
      Files.createDirectories(indexDir);
      index = openDb(factory, indexDir);
      LevelDbBlockStore s = new LevelDbBlockStore(dir, blocks, index);
      s.checkIndex(indexExisted);
      return s;
    } catch (IOException | RuntimeException e) {
      if (index != null) {
        index.close();
      }
      blocks.close();
      throw e;
    }
  }

  /**
   * The index must cover what the store synced (at a snapshot, whose journal below is gone and
   * cannot re-index it). A data directory from before the split starts its index at its height.
   */
  private void checkIndex(boolean indexExisted) throws IOException {
    if (!indexExisted && legacyIndex) {
      indexDb.put(HEIGHT, longBytes(height), new WriteOptions().sync(true));
      indexedHeight = height;
      return;
    }
    long synced = Math.min(readLong(db, SYNC_MARK), height); // blocks above may be replaced
    if (indexedHeight < synced) {
      throw new IOException("block store " + dir + ": its transaction index (" + INDEX_DIR
          + ") covers blocks up to height " + indexedHeight + " but the store synced blocks up"
          + " to " + synced + " (the index was emptied or removed): this replica would accept"
          + " transactions its chain holds already; refusing to start on it. Restore the data"
          + " directory from a backup, or move it away so that the node starts empty and catches"
          + " up by state transfer");
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
      for (long above = h; above <= top; above++) {
        // never acknowledged (the journal did not record them): their blocks go, and their
        // records (tx() would not answer for them anyway, as their entries are gone)
        long at = above;
        block(at).ifPresent(dropped -> {
          for (BlockEntry e : dropped.entries()) {
            String txId = e.transaction().txId();
            if (location(txId).filter(l -> l.height() == at).isPresent()) {
              indexBatch.delete(indexKey(txId));
            }
            if (legacyIndex && legacyRecord(txId).filter(r -> r.blockHeight() == at)
                .isPresent()) {
              batch.delete(legacyKey(txId));
            }
          }
        });
        if (at > h) {
          batch.delete(key(BLOCK, at));
        }
      }
      batch.put(key(BLOCK, h), cbor.writeValueAsBytes(block));
      batch.put(HEIGHT, longBytes(h));
      db.write(batch, new WriteOptions().sync(false));
      height = h;
      putLocations(index, indexBatch);
      indexBatch.put(HEIGHT, longBytes(h));
      indexDb.write(indexBatch, new WriteOptions().sync(false));
      indexedHeight = h;
    } catch (IOException e) {
      throw new UncheckedIOException("block store " + dir + ": writing block " + h, e);
    }
  }

  /** Where a transaction is: the value of its index entry. */
  private record Location(long height, int txIndex, long view) {
    static Location of(TxRecord r) {
      return new Location(r.blockHeight(), r.txIndex(), r.view());
    }

    byte[] bytes() {
      return ByteBuffer.allocate(20).putLong(height).putInt(txIndex).putLong(view).array();
    }

    static Location read(byte[] b) {
      ByteBuffer in = ByteBuffer.wrap(b);
      return new Location(in.getLong(), in.getInt(), in.getLong());
    }
  }

  private static void putLocations(Collection<TxRecord> records, WriteBatch batch) {
    for (TxRecord r : records) {
      batch.put(indexKey(r.txId()), Location.of(r).bytes());
    }
  }

  private Optional<Location> location(String txId) {
    byte[] bytes = indexDb.get(indexKey(txId));
    return bytes == null || bytes.length != 20 ? Optional.empty()
        : Optional.of(Location.read(bytes));
  }

  private Optional<TxRecord> legacyRecord(String txId) {
    byte[] bytes = db.get(legacyKey(txId));
    return bytes == null ? Optional.empty() : Optional.of(read(bytes, TxRecord.class, txId));
  }

  /**
   * {@inheritDoc} Reads the location from the index and the rest from the block's entry; empty
   * when the block is not held or its entry at that index holds another transaction.
   */
  @Override
  public Optional<TxRecord> tx(String txId) {
    if (closed) {
      return Optional.empty();
    }
    Optional<Location> at = location(txId);
    if (at.isEmpty()) {
      return legacyIndex ? legacyRecord(txId) : Optional.empty();
    }
    Location l = at.get();
    return block(l.height()).filter(b -> l.txIndex() >= 0 && l.txIndex() < b.entries().size())
        .map(b -> b.entries().get(l.txIndex()))
        .filter(e -> e.transaction().txId().equals(txId))
        .map(e -> new TxRecord(txId, l.height(), l.txIndex(), e.code(), e.result(),
            e.transaction().client(), e.transaction().timestamp(), l.view()));
  }

  @Override
  public void index(Collection<TxRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    long top = records.stream().mapToLong(TxRecord::blockHeight).max().orElse(0);
    try (WriteBatch batch = indexDb.createWriteBatch()) {
      putLocations(records, batch);
      if (top > indexedHeight) {
        batch.put(HEIGHT, longBytes(top));
      }
      indexDb.write(batch, new WriteOptions().sync(false));
      indexedHeight = Math.max(indexedHeight, top);
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
    // the index first: the blocks' mark says that what it covers is durable in both
    indexDb.put(SYNC_MARK, longBytes(height), new WriteOptions().sync(true));
    db.put(SYNC_MARK, longBytes(height), new WriteOptions().sync(true));
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
    byte[] v = in.get(key);
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
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

  private static byte[] legacyKey(String txId) {
    byte[] id = txId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put(LEGACY_TX).put(id).array();
  }

  /** {@code 'x'} + 32 bytes for a 64-digit lowercase hex txId, else {@code 'u'} + its UTF-8. */
  static byte[] indexKey(String txId) {
    if (Digest.isLowerHex64(txId)) {
      return ByteBuffer.allocate(1 + Digest.BYTES).put(HEX_TX).put(new Digest(txId).bytes())
          .array();
    }
    byte[] id = txId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length).put(UTF8_TX).put(id).array();
  }

  private static byte[] key(int prefix, long n) {
    return ByteBuffer.allocate(9).put((byte) prefix).putLong(n).array();
  }
}
