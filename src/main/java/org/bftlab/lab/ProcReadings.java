package org.bftlab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc/<pid>} says of one process: CPU time (user + system, from
 * {@code stat} fields 14 and 15, in clock ticks of {@code 1/CLK_TCK} s; CLK_TCK is 100 on every
 * Linux ABI bftlab runs on) and bytes it caused to be written to storage ({@code io}'s
 * {@code write_bytes}).
 *
 * @param cpuNanos user + system CPU time, in nanoseconds (10 ms resolution)
 * @param storageWriteBytes bytes written to the storage layer
 */
public record ProcReadings(long cpuNanos, long storageWriteBytes) {
  private static final long NANOS_PER_TICK = 10_000_000L;

  /**
   * Reads {@code /proc/<pid>/stat} and {@code /proc/<pid>/io}.
   *
   * @throws IOException when the process is gone or {@code /proc} is not readable (not Linux)
   */
  public static ProcReadings of(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name (field 2) is in parentheses and may hold spaces: split after its ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);  // fields 14 and 15
    long written = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
      if (line.startsWith("write_bytes:")) {
        written = Long.parseLong(line.substring("write_bytes:".length()).trim());
      }
    }
    return new ProcReadings(ticks * NANOS_PER_TICK, written);
  }

  /** This minus {@code earlier}, field by field. */
  public ProcReadings minus(ProcReadings earlier) {
    return new ProcReadings(cpuNanos - earlier.cpuNanos,
        storageWriteBytes - earlier.storageWriteBytes);
  }
}
