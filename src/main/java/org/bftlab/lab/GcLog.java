package org.bftlab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a JVM's unified GC log ({@code -Xlog:gc:file=PATH}), whose pause lines end in
 * {@code <before>M-><after>M(<committed>M) <ms>ms}.
 */
public final class GcLog {
  private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)[KMG]\\)");

  private GcLog() {}

  /** The JVM option that writes such a log to {@code file}. */
  public static String option(Path file) {
    return "-Xlog:gc:file=" + file + "::filecount=0";
  }

  /** Heap occupied after the last collection in {@code file}, in bytes; empty before any. */
  public static OptionalLong lastHeapAfterGc(Path file) throws IOException {
    return lastHeapAfter(file, "Pause");
  }

  /**
   * Heap occupied after the last full collection in {@code file} (a {@code Pause Full} line: with
   * the serial collector, the live set at that moment), in bytes; empty before any.
   */
  public static OptionalLong lastHeapAfterFullGc(Path file) throws IOException {
    return lastHeapAfter(file, "Pause Full");
  }

  private static OptionalLong lastHeapAfter(Path file, String pause) throws IOException {
    if (!Files.isRegularFile(file)) {
      return OptionalLong.empty();
    }
    List<String> lines = Files.readAllLines(file);
    for (int k = lines.size() - 1; k >= 0; k--) {
      Matcher m = PAUSE.matcher(lines.get(k));
      if (lines.get(k).contains(pause) && m.find()) {
        return OptionalLong.of(bytes(Long.parseLong(m.group(3)), m.group(4)));
      }
    }
    return OptionalLong.empty();
  }

  /** How many full collections ({@code Pause Full} lines) {@code file} records; 0 without it. */
  public static long fullCollections(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    try (var lines = Files.lines(file)) {
      return lines.filter(l -> l.contains("Pause Full")).count();
    }
  }

  private static long bytes(long v, String unit) {
    return switch (unit) {
      case "K" -> v << 10;
      case "M" -> v << 20;
      default -> v << 30;
    };
  }
}
