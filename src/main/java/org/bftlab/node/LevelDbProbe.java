package org.bftlab.node;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides between the native LevelDB (JNI, fast, Linux x86-64 and a few others) and the
 * pure-Java port, which read and write the same on-disk format.
 */
public final class LevelDbProbe {
  private static final Logger LOG = LoggerFactory.getLogger(LevelDbProbe.class);
  private static volatile Boolean nativeWorks;

  private LevelDbProbe() {}

  /**
   * Whether to use the native library for {@code mode} ({@code auto}, {@code native}, {@code java}).
   *
   * @throws IllegalStateException if {@code mode} is {@code native} and the library does not load
   */
  public static boolean useNative(String mode) {
    return switch (mode) {
      case "java" -> false;
      case "native" -> {
        if (!nativeLoads()) {
          throw new IllegalStateException("bftlab.journal.leveldb = native, but the LevelDB JNI "
              + "library does not load on this platform; use auto or java");
        }
        yield true;
      }
      default -> nativeLoads();
    };
  }

  /** True when the JNI LevelDB can open a database here (probed once per JVM). */
  public static boolean nativeLoads() {
    Boolean known = nativeWorks;
    if (known != null) {
      return known;
    }
    boolean ok;
    Path dir = null;
    try {
      dir = Files.createTempDirectory("bftlab-leveldb-probe");
      Options options = new Options().createIfMissing(true);
      try (DB db =
               JniDBFactory.factory.open(dir.toFile(), options)) {
        db.put(new byte[] {1}, new byte[] {2});
      }
      ok = true;
    } catch (Throwable t) {
      LOG.info("native LevelDB unavailable ({}); using the pure-Java port", t.toString());
      ok = false;
    } finally {
      deleteQuietly(dir);
    }
    nativeWorks = ok;
    return ok;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }
}
