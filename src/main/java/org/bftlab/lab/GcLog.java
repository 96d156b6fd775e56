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
    if (!Files.isRegularFile(file)) {
      return OptionalLong.empty();
    }
    List<String> lines = Files.readAllLines(file);
    for (int k = lines.size() - 1; k >= 0; k--) {
      Matcher m = PAUSE.matcher(lines.get(k));
      if (m.find()) {
        return OptionalLong.of(bytes(Long.parseLong(m.group(3)), m.group(4)));
      }
    }
    return OptionalLong.empty();
  }

  private static long bytes(long v, String unit) {
    return switch (unit) {
      case "K" -> v << 10;
      case "M" -> v << 20;
      default -> v << 30;
    };
  }
}
