package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's durable high-water mark (issue 7 item 5) and the pre-start journal check. */
class JournalMarkTest {
  @TempDir Path dir;

  @Test
  void missingFileReadsAsZeroAndIsCreatedOnFirstAdvance() throws IOException {
    Path f = dir.resolve("marks/agreement");
    try (JournalMark m = JournalMark.open(f, true)) {
      assertThat(m.value()).isZero();
      assertThat(Files.exists(f)).isFalse();
      m.advance(7);
      m.advance(5); // never goes down
      assertThat(m.value()).isEqualTo(7);
    }
    assertThat(JournalMark.read(f)).isEqualTo(7);
    try (JournalMark m = JournalMark.open(f, true)) {
      assertThat(m.value()).isEqualTo(7);
      m.advance(8);
      m.advance(9);
    }
    assertThat(JournalMark.read(f)).isEqualTo(9);
  }

  @Test
  void aTornSlotFallsBackToThePreviousValueNeverAHigherOne() throws IOException {
    Path f = dir.resolve("mark");
    try (JournalMark m = JournalMark.open(f, false)) {
      m.advance(41); // slot 0
      m.advance(42); // slot 1
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(512 + 6); // inside slot 1's sequence number
      raf.write(0x7f);
    }
    assertThat(JournalMark.read(f)).isEqualTo(41);
    Files.write(f, new byte[] {1, 2, 3});
    assertThat(JournalMark.read(f)).isZero();
  }

  @Test
  void costOfOneDurableAdvanceIsMeasured() throws IOException {
    Path f = dir.resolve("timed");
    int n = 200;
    for (boolean fsync : new boolean[] {false, true}) {
      try (JournalMark m = JournalMark.open(f, fsync)) {
        long t0 = System.nanoTime();
        for (int i = 1; i <= n; i++) {
          m.advance(m.value() + 1);
        }
        long perWrite = (System.nanoTime() - t0) / n;
        System.out.printf("JournalMark: %d advances (fsync %s), %.1f µs each%n", n, fsync,
            perWrite / 1e3);
        assertThat(JournalMark.read(f)).isEqualTo(m.value());
      }
    }
  }

  @Test
  void journalDirectoryWithFilesButNoCurrentIsRefused() throws IOException {
    Path journal = dir.resolve("journal");
    Files.createDirectories(journal);
    assertThat(JournalCheck.verify(journal)).as("empty: a fresh journal").isZero();
    Files.write(journal.resolve("LOCK"), new byte[0]);
    assertThat(JournalCheck.verify(journal)).isZero();
    Files.write(journal.resolve("000003.log"), new byte[] {1, 2, 3});
    Files.write(journal.resolve("MANIFEST-000002"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> JournalCheck.verify(journal)).isInstanceOf(IOException.class)
        .hasMessageContaining("no CURRENT").hasMessageContaining("000003.log")
        .hasMessageContaining("refusing to start");
  }

  @Test
  void unreadableManifestIsRefused() throws IOException {
    Path journal = dir.resolve("journal");
    Files.createDirectories(journal);
    Files.writeString(journal.resolve("CURRENT"), "MANIFEST-000002\n");
    Files.write(journal.resolve("MANIFEST-000002"), new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
    assertThatThrownBy(() -> JournalCheck.verify(journal)).isInstanceOf(IOException.class)
        .hasMessageContaining("refusing to start");
  }
}
