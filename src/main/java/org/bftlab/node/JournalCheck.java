package org.bftlab.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;

/**
 * Verifies a node's LevelDB journal before the node starts: opens it with paranoid checks and
 * reads every entry with checksum verification. A journal that fails is refused with a clear
 * error — a node never serves a state replayed from a damaged journal, and it learns of the
 * damage at once rather than after the journal plugin's recovery time-outs. A directory with
 * LevelDB files but no {@code CURRENT} (a lost manifest pointer) is refused too: LevelDB would
 * open it as a new, empty journal.
 */
public final class JournalCheck {
  private JournalCheck() {}

  /**
   * Reads the whole journal in {@code dir}, if there is one.
   *
   * <p>The check always reads with the pure-Java LevelDB port (same on-disk format): the native
   * library may abort the whole process on some corruptions instead of reporting them.
   *
   * @return the number of entries read (0 when there is no journal yet)
   * @throws IOException naming the directory and LevelDB's reason when the journal is corrupt
   *     or cannot be opened
   */
  public static long verify(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    if (!Files.exists(dir.resolve("CURRENT"))) {
      List<String> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(p -> !Files.isDirectory(p)) // the block store's index is one
            .map(p -> p.getFileName().toString()).filter(n -> !n.equals("LOCK"))
            .filter(n -> !n.startsWith("LOG")).sorted().toList();
      }
      if (files.isEmpty()) {
        return 0; // an empty directory: a fresh journal
      }
      throw new IOException("journal " + dir + " holds LevelDB files " + files + " but no CURRENT"
          + " file (the pointer to its MANIFEST): it is damaged and would be opened as an empty"
          + " journal, forgetting what this replica signed; refusing to start on it. Restore it"
          + " from a backup, or move the whole data directory away so that the node starts empty"
          + " and catches up by state transfer");
    }
    DBFactory factory = Iq80DBFactory.factory;
    Options options = new Options().createIfMissing(false).paranoidChecks(true);
    ReadOptions read = new ReadOptions().verifyChecksums(true).fillCache(false);
    long entries = 0;
    try (DB db = factory.open(dir.toFile(), options); DBIterator it = db.iterator(read)) {
      for (it.seekToFirst(); it.hasNext(); it.next()) {
        entries++;
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("journal " + dir + " fails its checksum or cannot be read ("
          + e.getMessage() + "); refusing to start on it. Restore it from a backup, or move it"
          + " away so that the node starts empty and catches up by state transfer", e);
    }
    return entries;
  }
}
