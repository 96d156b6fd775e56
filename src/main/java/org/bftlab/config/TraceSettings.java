package org.bftlab.config;

import com.typesafe.config.Config;

/**
 * The live trace's settings ({@code bftlab.trace}), read once.
 *
 * @param enabled whether the node writes the trace
 * @param maxFileBytes a trace file is rotated at this size, in bytes (>= 4096)
 * @param maxFiles rotated files kept per node, the oldest deleted first (>= 1)
 * @param queue lines buffered for the writer thread; more are dropped and counted (>= 16)
 */
public record TraceSettings(boolean enabled, long maxFileBytes, int maxFiles, int queue) {
  /** Off, with the defaults of {@code application.conf}. */
  public static final TraceSettings OFF = new TraceSettings(false, 64L << 20, 16, 65536);

  public TraceSettings {
    if (maxFileBytes < 4096 || maxFiles < 1 || queue < 16) {
      throw new IllegalArgumentException("bftlab.trace: max-file-size must be >= 4096 bytes,"
          + " max-files >= 1, queue >= 16; got " + maxFileBytes + ", " + maxFiles + ", " + queue);
    }
  }

  /** {@code bftlab.trace} of {@code root} (resolved); {@link #OFF} when absent. */
  public static TraceSettings from(Config root) {
    if (!root.hasPath("bftlab.trace")) {
      return OFF;
    }
    Config c = root.getConfig("bftlab.trace");
    return new TraceSettings(c.getBoolean("enabled"), c.getBytes("max-file-size"),
        c.getInt("max-files"), c.getInt("queue"));
  }
}
