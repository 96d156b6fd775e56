package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys at rest: owner-only key files pass, any group or other bit is refused with the fix. */
class KeyPermissionsTest {
  @TempDir Path dir;

  @BeforeEach
  void posix() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  private Path key(String mode) throws Exception {
    Path f = dir.resolve("node-0.key");
    KeyFiles.writePrivateKey(f, TestKeys.pair("node-0"));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  void ownerOnlyKeysPass() throws Exception {
    KeyPermissions.requireOwnerOnly(key("rw-------"));
    KeyPermissions.requireOwnerOnly(key("r--------"));
  }

  @Test
  void aWorldReadableKeyIsRefusedWithTheFix() throws Exception {
    Path f = key("rw-r--r--");
    assertThatThrownBy(() -> KeyPermissions.requireOwnerOnly(f))
        .isInstanceOf(InsecureKeyFileException.class)
        .hasMessageStartingWith(f + ": ")
        .hasMessageContaining("group and others")
        .hasMessageContaining("mode 0644")
        .hasMessageEndingWith("Fix: chmod 600 " + f);
  }

  @Test
  void groupOnlyOrOthersOnlyBitsAreRefusedToo() throws Exception {
    assertThatThrownBy(() -> KeyPermissions.requireOwnerOnly(key("rw-r-----")))
        .hasMessageContaining("accessible by group (mode 0640");
    assertThatThrownBy(() -> KeyPermissions.requireOwnerOnly(key("rw-----w-")))
        .hasMessageContaining("accessible by others (mode 0602");
  }

  @Test
  void cryptogenWritesEveryKeyOwnerOnly() throws Exception {
    CryptoGen.Result r = CryptoGen.generate(CryptoGen.Options.defaults(dir.resolve("c")));
    long keys = r.files().stream().filter(p -> p.toString().endsWith(".key")).count();
    assertThat(keys).as("4 nodes, 2 clients, 1 admin").isEqualTo(7);
    for (Path p : r.files()) {
      if (p.toString().endsWith(".key")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .as(p.toString()).isEqualTo("rw-------");
        KeyPermissions.requireOwnerOnly(p);
      }
    }
  }
}
