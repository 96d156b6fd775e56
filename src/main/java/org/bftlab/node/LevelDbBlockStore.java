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
 * The node's {@link BlockStore}: a LevelDB database in {@code <data-dir>/blocks}, next to the
 * journal (same library: native JNI where it loads, else the pure-Java port — {@link
 * LevelDbProbe}). Keys are {@code 'b'} + height (8 bytes, big-endian) → the block in CBOR,
 * {@code 't'} + txId (UTF-8) → the transaction's {@link TxRecord} in CBOR (the transaction
 * index, written in the same atomic batch as its block), {@code 'c'} + seqNo → a stable
 * checkpoint's certificate (blocks and certificates iterate in height order), and {@code 'h'} →
 * the highest height, written in the same atomic batch as that block.
 *
 * <p>Durability: a write reaches the operating system before {@link #append} returns (it
 * survives {@code kill -9}); {@link #sync()} — called before a snapshot drops the blocks from the
 * journal — makes everything durable with one fsync (a synced marker write). Between two
 * snapshots the journal, fsynced, holds the same blocks and a restart re-appends them. Reads are
 * thread-safe; writes come from the block-commit actor only. {@link #close()} after the actor
 * system has stopped.
 */
public final class LevelDbBlockStore implements BlockStore, AutoCloseable {
  private static final byte BLOCK = 'b';
  private static final byte CERTIFICATE = 'c';
  private static final byte TX = 't';
  private static final byte[] SYNC_MARK = {'s'};
  /** The highest height held, written in the same batch as the block. */
  private static final byte[] HEIGHT = {'h'};

  private final Path dir;
  private final DB db;
  private final ObjectMapper cbor;
  private volatile long height;
  private volatile boolean closed;

  private LevelDbBlockStore(Path dir, DB db) {
    this.dir = dir;
    this.db = db;
    this.cbor = CBORMapper.builder().addModule(new BftlabJacksonModule()).build();
    this.height = lastHeight();
  }

  /**
   * Opens (or creates) the store in {@code dir}.
   *
   * @param nativeLevelDb the JNI LevelDB (as the journal uses), else the pure-Java port
   * @throws IOException when it cannot be opened (named, with LevelDB's reason)
   */
  public static LevelDbBlockStore open(Path dir, boolean nativeLevelDb) throws IOException {
    Files.createDirectories(dir);
    DBFactory factory = nativeLevelDb ? JniDBFactory.factory : Iq80DBFactory.factory;
    try {
      return new LevelDbBlockStore(dir, factory.open(dir.toFile(),
          new Options().createIfMissing(true).paranoidChecks(true)));
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
      index(index); // already stored (journal replay); its records may predate the index
      return;
    }
    try (WriteBatch batch = db.createWriteBatch()) {
      for (long above = h; above <= top; above++) {
        // never acknowledged: the journal did not record them; nor their index records
        long at = above;
        block(above).ifPresent(dropped -> {
          for (BlockEntry e : dropped.entries()) {
            String txId = e.transaction().txId();
            if (tx(txId).filter(r -> r.blockHeight() == at).isPresent()) {
              batch.delete(txKey(txId));
            }
          }
        });
        if (above > h) {
          batch.delete(key(BLOCK, above));
        }
      }
      batch.put(key(BLOCK, h), cbor.writeValueAsBytes(block));
      for (TxRecord r : index) {
        batch.put(txKey(r.txId()), cbor.writeValueAsBytes(r));
      }
      batch.put(HEIGHT, ByteBuffer.allocate(8).putLong(h).array());
      db.write(batch, new WriteOptions().sync(false));
    } catch (IOException e) {
      throw new UncheckedIOException("block store " + dir + ": writing block " + h, e);
    }
    height = h;
  }

  @Override
  public Optional<TxRecord> tx(String txId) {
    if (closed) {
      return Optional.empty();
    }
    byte[] bytes = db.get(txKey(txId));
    return bytes == null ? Optional.empty() : Optional.of(read(bytes, TxRecord.class, txId));
  }

  @Override
  public void index(Collection<TxRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    try (WriteBatch batch = db.createWriteBatch()) {
      for (TxRecord r : records) {
        batch.put(txKey(r.txId()), cbor.writeValueAsBytes(r));
      }
      db.write(batch, new WriteOptions().sync(false));
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
    db.put(SYNC_MARK, ByteBuffer.allocate(8).putLong(height).array(),
        new WriteOptions().sync(true));
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      db.close();
    }
  }

  private long lastHeight() {
    byte[] top = db.get(HEIGHT);
    return top == null ? 0 : ByteBuffer.wrap(top).getLong();
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
