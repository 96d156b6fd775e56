package org.bftlab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bytes written into the files of named directories, by sampling: each {@link #sample()} lists
 * every watched directory (not its subdirectories) and adds, per file, what it grew since the
 * last sample; a file not seen before counts whole. This is what a log-structured store writes
 * (LevelDB's write-ahead log, the tables its flushes and compactions write, its manifest;
 * snapshot files), split by directory, where {@code /proc/<pid>/io} gives one sum per process.
 *
 * <p>Files are told apart by their file key (inode on Linux) and name, so a file replaced under
 * its name, or a new file on a reused inode, counts whole again (a renamed file does too:
 * LevelDB renames only its 16-byte {@code CURRENT}). What a file gained between its last sample
 * and its deletion, and a file written and deleted between two samples, are not seen; LevelDB's
 * write-ahead log lives until its memtable (4 MiB) is flushed and its tables live for seconds at
 * least, so at a sample every 250 ms that loss is a few percent at most. The native LevelDB
 * (leveldbjni 1.8) writes through {@code mmap}, growing a file ahead of its data in steps of
 * 64 KiB doubling up to 1 MiB and cutting it to its data at close: a sample may count up to one
 * step not yet written (at most 1 MiB per file), and a slow writer's window may count nothing
 * until its next step. Over a window of many steps (the n = 4 bench writes a journal step every
 * second or so) it is the bytes written, within ~10 %. The pure-Java LevelDB (the fallback
 * where the native one does not load) writes plainly, without steps. Bytes the file system
 * writes again (a partly filled page rewritten by each fsync, its own journal) are not counted.
 *
 * <p>Thread-safe: samples are serialised; {@link #totals()} and {@link #failures()} may be read
 * from any thread.
 */
public final class FileWrites {
  private final Map<String, List<Path>> watched;
  private final Map<String, AtomicLong> totals = new LinkedHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<String> lastFailure = new AtomicReference<>();
  private Map<FileId, Long> sizes = new HashMap<>();

  /** One file: its file key (inode) where the file system has one, and its name. */
  private record FileId(Object key, Path name) {}

  /**
   * Watches {@code watched}: for each name (e.g. {@code "journal"}), the directories whose bytes
   * count under it. A directory that does not exist (yet) counts nothing until it does.
   */
  public FileWrites(Map<String, List<Path>> watched) {
    Map<String, List<Path>> copy = new LinkedHashMap<>();
    watched.forEach((name, dirs) -> copy.put(Objects.requireNonNull(name), List.copyOf(dirs)));
    this.watched = copy;
    copy.keySet().forEach(name -> totals.put(name, new AtomicLong()));
  }

  /**
   * Samples every {@code period} on {@code scheduler} until the scheduler shuts down, with
   * {@link #trySample()}: a failed sample is counted and sampling goes on.
   */
  public void sampleEvery(ScheduledExecutorService scheduler, long period, TimeUnit unit) {
    scheduler.scheduleAtFixedRate(this::trySample, 0, period, unit);
  }

  /**
   * {@link #sample()}, with a failure counted in {@link #failures()} instead of thrown: the
   * growth it missed is counted by the next sample that succeeds, except in files deleted in
   * between.
   *
   * @return the totals after the sample (as they were, when it failed)
   */
  public synchronized Map<String, Long> trySample() {
    try {
      return sample();
    } catch (RuntimeException e) {
      lastFailure.set(String.valueOf(e.getMessage()));
      failures.incrementAndGet();
      return totals();
    }
  }

  /** Samples that failed so far. */
  public long failures() {
    return failures.get();
  }

  /** Why the last failed sample failed, or empty when none did. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure.get());
  }

  /**
   * Lists the watched directories once and adds the growth of their files to the totals.
   *
   * @return the totals after this sample, under each name in the order the names were given
   * @throws UncheckedIOException when a directory cannot be listed (then nothing is counted; a
   *     file deleted while it is read is skipped, as LevelDB deletes tables after a compaction)
   */
  public synchronized Map<String, Long> sample() {
    Map<FileId, Long> now = new HashMap<>();
    Map<String, Long> grown = new HashMap<>();
    for (Map.Entry<String, List<Path>> e : watched.entrySet()) {
      for (Path dir : e.getValue()) {
        grown.merge(e.getKey(), sample(dir, now), Long::sum);
      }
    }
    // all listed: count them (a failed listing counts nothing, and the next sample compares
    // with the sizes before it)
    grown.forEach((name, n) -> totals.get(name).addAndGet(n));
    sizes = now;
    return totals();
  }

  private long sample(Path dir, Map<FileId, Long> now) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long grown = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (!a.isRegularFile()) {
          continue;
        }
        FileId id = new FileId(a.fileKey(), f.toAbsolutePath());
        long before = sizes.getOrDefault(id, 0L);
        grown += Math.max(0, a.size() - before);
        now.put(id, Math.max(before, a.size()));
      }
    } catch (IOException | DirectoryIteratorException e) {
      throw new UncheckedIOException("cannot list " + dir, e instanceof IOException io ? io
          : ((DirectoryIteratorException) e).getCause());
    }
    return grown;
  }

  /** Bytes counted so far under each name, in the order the names were given. */
  public Map<String, Long> totals() {
    Map<String, Long> out = new LinkedHashMap<>();
    totals.forEach((name, n) -> out.put(name, n.get()));
    return out;
  }
}
