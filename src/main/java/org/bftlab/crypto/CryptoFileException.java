package org.bftlab.crypto;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A key, certificate or genesis file that is missing, unreadable, malformed or of the wrong
 * kind. The message always starts with the file's path and says what is wrong, e.g.
 * {@code "crypto/nodes/node-0.key: not a PEM file (no -----BEGIN line)"}.
 */
public final class CryptoFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CryptoFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public CryptoFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }
}
