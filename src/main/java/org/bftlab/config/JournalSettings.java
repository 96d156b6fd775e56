package org.bftlab.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * LevelDB journal settings ({@code bftlab.journal}).
 *
 * @param leveldb which implementation: {@code auto}, {@code native} or {@code java}
 * @param fsync sync every write to disk
 * @param checksum verify checksums on every read
 * @param snapshotEvery journaled events between two snapshots; a snapshot keeps only the events
 *     still needed and the journal below it is deleted (>= 10)
 * @param recoveryTimeout longest a node may take to replay its journals at start before it
 *     gives up (exit 1); positive
 */
public record JournalSettings(String leveldb, boolean fsync, boolean checksum, int snapshotEvery,
    Duration recoveryTimeout) {
  public JournalSettings {
    leveldb = leveldb.toLowerCase(Locale.ROOT);
    if (!leveldb.equals("auto") && !leveldb.equals("native") && !leveldb.equals("java")) {
      throw new IllegalArgumentException(
          "bftlab.journal.leveldb must be auto, native or java, got " + leveldb);
    }
    if (snapshotEvery < 10) {
      throw new IllegalArgumentException(
          "bftlab.journal.snapshot-every must be >= 10, got " + snapshotEvery);
    }
    if (recoveryTimeout == null || recoveryTimeout.isNegative() || recoveryTimeout.isZero()) {
      throw new IllegalArgumentException(
          "bftlab.journal.recovery-timeout must be positive, got " + recoveryTimeout);
    }
  }

  /** Reads the {@code bftlab.journal} section. */
  public static JournalSettings from(Config c) {
    return new JournalSettings(c.getString("leveldb"), c.getBoolean("fsync"),
        c.getBoolean("checksum"), c.getInt("snapshot-every"), c.getDuration("recovery-timeout"));
  }
}
