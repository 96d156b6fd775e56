package org.bftlab.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.CRC32;
import org.bftlab.codec.Json;
import org.bftlab.core.ComponentRunner;

/**
 * The in-memory journal of one simulated component: the durable events in order, each stored
 * with its canonical bytes (JSON through {@link Json#mapper()}) and the CRC32 of those bytes,
 * as LevelDB stores a checksum per record. {@link #corrupt} flips a byte of one stored record
 * (its checksum no longer matches); {@link #verify} finds the first bad record, which a restart
 * must refuse to replay. Replay hands back the event objects (equal to what the bytes decode to),
 * so a restart costs no deserialization.
 *
 * <p>Compaction as the Pekko shell's snapshot: {@link #compacted} replaces every record with the
 * retained events (the snapshot); later appends follow it. A torn tail ({@link #truncate}) loses
 * only events journaled after the snapshot, as the snapshot store is a separate file.
 *
 * @param <E> the component's event type
 */
final class SimJournal<E extends org.bftlab.core.Event> implements ComponentRunner.Journal<E> {
  private static final ObjectMapper MAPPER = Json.mapper();

  /** One record: the event, its stored bytes and the checksum written with them. */
  private record Entry<E>(E event, byte[] bytes, long crc) {}

  private final List<Entry<E>> entries = new ArrayList<>();
  /** The first {@code snapshotCount} records are the snapshot, taken at {@code snapshotSeqNr}. */
  private int snapshotCount;
  private long snapshotSeqNr;

  @Override
  public void append(List<E> events) {
    events.forEach(this::append);
  }

  @Override
  public void compacted(List<E> retained) {
    long seqNr = seqNr();
    entries.clear();
    retained.forEach(this::append);
    snapshotCount = retained.size();
    snapshotSeqNr = seqNr;
  }

  /** True when the journal starts with a snapshot (it was compacted). */
  boolean compacted() {
    return snapshotSeqNr > 0;
  }

  /** The journal sequence number: events ever journaled, as of the snapshot and after it. */
  long seqNr() {
    return snapshotSeqNr + entries.size() - snapshotCount;
  }

  /** A restart: the runner starts from the snapshot, then replays the events after it. */
  <S> void replayInto(ComponentRunner<S, E> runner) {
    List<E> all = events();
    runner.restore(all.subList(0, snapshotCount), snapshotSeqNr);
    all.subList(snapshotCount, all.size()).forEach(runner::replay);
  }

  /** Appends {@code event} with its bytes and checksum. */
  void append(E event) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event does not serialize: " + event, e);
    }
    entries.add(new Entry<>(event, bytes, crc(bytes)));
  }

  /** Number of records. */
  int size() {
    return entries.size();
  }

  /** The events, in order (for replay). */
  List<E> events() {
    List<E> out = new ArrayList<>(entries.size());
    for (Entry<E> e : entries) {
      out.add(e.event());
    }
    return out;
  }

  /** Amnesia: every record lost. */
  void wipe() {
    entries.clear();
    snapshotCount = 0;
    snapshotSeqNr = 0;
  }

  /** Torn tail: the last {@code k} records after the snapshot lost; returns how many. */
  int truncate(int k) {
    int removed = Math.min(k, entries.size() - snapshotCount);
    entries.subList(entries.size() - removed, entries.size()).clear();
    return removed;
  }

  /**
   * Flips one byte of record {@code index} (a bit rot on disk); its checksum is kept, so it no
   * longer matches. Returns false when there is no such record.
   */
  boolean corrupt(int index) {
    if (index < 0 || index >= entries.size()) {
      return false;
    }
    Entry<E> e = entries.get(index);
    byte[] bad = e.bytes().clone();
    bad[bad.length / 2] ^= 0x20;
    entries.set(index, new Entry<>(e.event(), bad, e.crc()));
    return true;
  }

  /** The index of the first record whose checksum fails, if any. */
  OptionalInt verify() {
    for (int i = 0; i < entries.size(); i++) {
      if (crc(entries.get(i).bytes()) != entries.get(i).crc()) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  private static long crc(byte[] bytes) {
    CRC32 c = new CRC32();
    c.update(bytes);
    return c.getValue();
  }
}
