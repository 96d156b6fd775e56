package org.bftlab.crypto;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keys at rest: a private key file must be readable and writable by its owner only (mode 0600
 * or stricter), as ssh demands of an identity file. {@link CryptoGen} writes keys 0600; a node
 * refuses to start on a key with any group or other permission bit ({@code bftlab node} exits
 * with code 2, {@code org.bftlab.node.NodeExit#BAD_CONFIGURATION}). On file systems without
 * POSIX permissions nothing is checked.
 */
public final class KeyPermissions {
  private KeyPermissions() {}

  /**
   * Refuses {@code keyFile} when a group or other permission bit is set.
   *
   * @throws InsecureKeyFileException naming the file, its mode, who can read it and the fix
   *     ({@code chmod 600 FILE})
   * @throws IOException when the file's attributes cannot be read (a missing file is left to
   *     the key reader, which names it)
   */
  public static void requireOwnerOnly(Path keyFile) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        || !Files.exists(keyFile)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
    List<String> who = new ArrayList<>();
    if (perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.GROUP_WRITE)
        || perms.contains(PosixFilePermission.GROUP_EXECUTE)) {
      who.add("group");
    }
    if (perms.contains(PosixFilePermission.OTHERS_READ)
        || perms.contains(PosixFilePermission.OTHERS_WRITE)
        || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
      who.add("others");
    }
    if (who.isEmpty()) {
      return;
    }
    throw new InsecureKeyFileException(keyFile, "private key file is accessible by "
        + String.join(" and ", who) + " (mode " + octal(perms) + ", "
        + PosixFilePermissions.toString(perms) + "); only its owner may read a private key."
        + " Fix: chmod 600 " + keyFile);
  }

  /** {@code 0644} for rw-r--r--. */
  static String octal(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |= 1 << (8 - p.ordinal());
    }
    return String.format("0%03o", mode);
  }
}
