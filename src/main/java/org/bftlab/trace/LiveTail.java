package org.bftlab.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bftlab.codec.Json;

/**
 * Follows the {@link LiveTrace} files of running nodes, as {@code tail -f} does: each {@link
 * #poll} returns the complete lines written since the last one (a line still being written waits
 * for its newline), read back as typed {@link TraceEvent}s ({@link LiveRun}'s reading), ordered
 * by wall clock, then node, then the node's own order. Files are found under the given roots,
 * recursively ({@code trace-NNNNNN.ndjson}), at every poll, so nodes that start later and
 * rotated files are picked up. A line that is not a trace line is skipped and counted, never
 * fatal. Not thread-safe.
 */
public final class LiveTail {
  private static final ObjectMapper MAPPER = Json.mapper();

  /**
   * One line read.
   *
   * @param time the node's wall clock, epoch ms
   * @param event the line, its {@code data} typed as the simulator's
   * @param data the line's {@code data} as written (null if none), for fields any message has
   */
  public record Line(long time, TraceEvent event, JsonNode data) {}

  private final List<Path> roots;
  private final Map<Path, Long> offsets = new HashMap<>();
  private final Map<LiveRun.Read, JsonNode> raw = new java.util.IdentityHashMap<>();
  private long skipped;
  private String lastSkip = "";

  /** Follows every trace file under {@code roots} (which need not exist yet). */
  public LiveTail(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * The complete lines appended since the last poll (all lines at the first).
   *
   * @throws IOException when a directory or file cannot be read
   */
  public List<Line> poll() throws IOException {
    List<LiveRun.Read> reads = new ArrayList<>();
    List<Path> files = files();
    for (int i = 0; i < files.size(); i++) {
      readNew(files.get(i), i, reads);
    }
    reads.sort(Comparator.comparingLong(LiveRun.Read::time).thenComparing(LiveRun.Read::node)
        .thenComparingInt(LiveRun.Read::file).thenComparingLong(LiveRun.Read::seq));
    List<Line> out = new ArrayList<>(reads.size());
    for (LiveRun.Read r : reads) {
      out.add(new Line(r.time(), r.event(), raw.remove(r)));
    }
    raw.clear();
    return out;
  }

  /** Lines skipped because they were not trace lines. */
  public long skipped() {
    return skipped;
  }

  /** Why the last line was skipped (file, offset, error), or "". */
  public String lastSkip() {
    return lastSkip;
  }

  private List<Path> files() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.getFileName().toString().matches("trace-\\d{6}\\.ndjson"))
            .sorted().forEach(files::add);
      }
    }
    return files;
  }

  private void readNew(Path file, int index, List<LiveRun.Read> into) throws IOException {
    long from = offsets.getOrDefault(file, 0L);
    byte[] bytes;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      if (length <= from) {
        return;
      }
      bytes = new byte[(int) Math.min(length - from, 16L << 20)];
      f.seek(from);
      f.readFully(bytes);
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
      return; // rotated away between listing and reading
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      if (!text.isBlank()) {
        try {
          JsonNode n = MAPPER.readTree(text);
          LiveRun.Read r = LiveRun.line(n, index);
          into.add(r);
          JsonNode d = n.get("data");
          if (d != null && !d.isNull()) {
            raw.put(r, d);
          }
        } catch (IOException | RuntimeException e) {
          skipped++;
          lastSkip = file + " at byte " + (from + start) + ": " + e.getMessage();
        }
      }
      start = i + 1;
    }
    offsets.put(file, from + start);
  }
}
