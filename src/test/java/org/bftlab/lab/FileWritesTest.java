package org.bftlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileWrites}: what a sample counts, driven sample by sample (no timer). */
class FileWritesTest {
  @Test
  void countsNewFilesWholeAndGrowthOnceByDirectoryName(@TempDir Path dir) throws IOException {
    Path journal = Files.createDirectories(dir.resolve("node-0/journal"));
    Path other = Files.createDirectories(dir.resolve("node-1/journal"));
    Path blocks = dir.resolve("node-0/blocks");  // not there yet
    FileWrites w = new FileWrites(Map.of("journal", List.of(journal, other),
        "blocks", List.of(blocks)));
    w.sample();
    assertThat(w.totals()).containsEntry("journal", 0L).containsEntry("blocks", 0L);

    Path log = Files.write(journal.resolve("000003.log"), new byte[100]);
    Files.write(other.resolve("000003.log"), new byte[7]);
    w.sample();
    assertThat(w.totals()).as("a file not seen before counts whole, in each directory")
        .containsEntry("journal", 107L);

    Files.write(log, new byte[50], StandardOpenOption.APPEND);
    w.sample();
    w.sample();
    assertThat(w.totals()).as("growth counts once, however often it is sampled")
        .containsEntry("journal", 157L);

    Files.createDirectories(blocks.resolve("tx-index"));
    Files.write(blocks.resolve("tx-index/000005.ldb"), new byte[1000]);
    Files.write(blocks.resolve("000004.ldb"), new byte[30]);
    w.sample();
    assertThat(w.totals()).as("a directory that appears counts from then on; subdirectories"
        + " are not its files").containsEntry("blocks", 30L).containsEntry("journal", 157L);
  }

  @Test
  void aFileReplacedUnderItsNameCountsWholeAgain(@TempDir Path dir) throws IOException {
    FileWrites w = new FileWrites(Map.of("journal", List.of(dir)));
    Path current = Files.write(dir.resolve("CURRENT"), new byte[16]);
    w.sample();
    Path tmp = Files.write(dir.resolve("000009.dbtmp"), new byte[16]);
    Files.delete(current);
    Files.move(tmp, current);  // LevelDB renames a temporary file over CURRENT
    w.sample();
    assertThat(w.totals()).containsEntry("journal", 32L);
  }

  @Test
  void aDeletedFileTakesNothingBack(@TempDir Path dir) throws IOException {
    FileWrites w = new FileWrites(Map.of("snapshots", List.of(dir)));
    Path snap = Files.write(dir.resolve("snapshot-1"), new byte[64]);
    w.sample();
    Files.delete(snap);
    assertThat(w.trySample()).as("a sample returns the totals after it")
        .containsEntry("snapshots", 64L);
    assertThat(w.totals()).containsEntry("snapshots", 64L);
    assertThat(w.failures()).isZero();
    assertThat(w.lastFailure()).isEmpty();
  }
}
