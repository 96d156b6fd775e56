package org.bftlab.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A durable high-water mark of one component's journal, kept apart from the journal: the highest
 * journal sequence number the component has persisted <em>before sending anything</em> that the
 * persisted events record (its own PRE-PREPARE, PREPARE, COMMIT, CHECKPOINT, VIEW-CHANGE …).
 * After recovery, a journal that replays to less than the mark has lost its tail — a truncated
 * or emptied LevelDB write-ahead log — and the replica may have signed messages it no longer
 * knows of; it must not run on that journal (amnesia, issue 7 item 5; persist-before-send,
 * DESIGN.md §1, only protects a replica whose journal keeps what it wrote).
 *
 * <p>On disk: two 512-byte slots (one sector each), written alternately; each holds the magic
 * {@code BMRK}, the sequence number (8 bytes, big-endian) and a CRC-32 of both. A write is one
 * positional write plus {@code fdatasync}; a torn write spoils only the slot being written, and
 * the other still holds the previous (lower, hence safe) value. {@link #read} takes the highest
 * valid slot; no file, or no valid slot, reads as 0 (a fresh replica). Not thread-safe: owned by
 * one component shell.
 */
public final class JournalMark implements AutoCloseable {
  private static final int SLOT = 512;
  private static final int MAGIC = 0x424d524b; // "BMRK"

  private final Path file;
  private final boolean fsync;
  private FileChannel channel;
  private long value;
  private int nextSlot;

  private JournalMark(Path file, boolean fsync, long value) {
    this.file = file;
    this.fsync = fsync;
    this.value = value;
  }

  /**
   * Opens (without creating) the mark in {@code file} and reads it.
   *
   * @param fsync force every write to the device (follow the journal's own fsync setting: a
   *     mark more durable than its journal would refuse a journal that lost only unsynced data)
   * @throws IOException when an existing file cannot be read
   */
  public static JournalMark open(Path file, boolean fsync) throws IOException {
    return new JournalMark(file, fsync, read(file));
  }

  /** The mark: the highest sequence number recorded, 0 when none. */
  public long value() {
    return value;
  }

  /** The file this mark lives in. */
  public Path file() {
    return file;
  }

  /**
   * Records {@code seqNr} durably if it is above the mark; returns when it is on disk (with
   * fsync) — call it after the journal write and before the outputs leave the node.
   *
   * @throws IOException when the mark cannot be written; the caller must not send
   */
  public void advance(long seqNr) throws IOException {
    if (seqNr <= value) {
      return;
    }
    if (channel == null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
    }
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putInt(MAGIC).putLong(seqNr).putInt(crc(seqNr)).flip();
    long at = (long) nextSlot * SLOT;
    while (b.hasRemaining()) {
      at += channel.write(b, at);
    }
    if (fsync) {
      channel.force(false);
    }
    nextSlot ^= 1;
    value = seqNr;
  }

  /** The highest valid slot of {@code file}; 0 when the file or every slot is missing or bad. */
  public static long read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] all = Files.readAllBytes(file);
    long best = 0;
    for (int slot = 0; slot < 2; slot++) {
      int at = slot * SLOT;
      if (all.length < at + 16) {
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(all, at, 16);
      int magic = b.getInt();
      long seqNr = b.getLong();
      int crc = b.getInt();
      if (magic == MAGIC && crc == crc(seqNr) && seqNr > best) {
        best = seqNr;
      }
    }
    return best;
  }

  private static int crc(long seqNr) {
    CRC32 c = new CRC32();
    c.update(ByteBuffer.allocate(12).putInt(MAGIC).putLong(seqNr).array());
    return (int) c.getValue();
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
