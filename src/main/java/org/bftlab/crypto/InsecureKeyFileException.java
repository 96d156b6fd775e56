package org.bftlab.crypto;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A private key file that others than its owner may read (or write), refused as ssh refuses
 * such an identity file. The message names the file, its mode and the fix, e.g.
 * {@code "crypto/nodes/node-0.key: private key file is readable by group and others (mode 0644);
 * only its owner may read a private key. Fix: chmod 600 crypto/nodes/node-0.key"}.
 */
public final class InsecureKeyFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public InsecureKeyFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
