package org.bftlab.core.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest (32 bytes), kept as 64 lowercase hex characters so that it compares, hashes,
 * prints and serialises as a value.
 *
 * @param hex 64 lowercase hexadecimal characters
 */
public record Digest(String hex) implements Comparable<Digest> {
  /** Length of a digest in bytes. */
  public static final int BYTES = 32;

  /** The all-zero digest: the previous-block hash of block 1 and the root of an empty tree. */
  public static final Digest ZERO = new Digest("0".repeat(64));

  private static final HexFormat HEX = HexFormat.of();

  public Digest {
    if (!isLowerHex64(hex)) {
      throw new IllegalArgumentException("digest must be 64 lowercase hex characters, got: " + hex);
    }
  }

  /** True when {@code s} is 64 characters of {@code [0-9a-f]} (no regex: digests are hot). */
  private static boolean isLowerHex64(String s) {
    if (s == null || s.length() != 2 * BYTES) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Wraps 32 raw bytes. @throws IllegalArgumentException if {@code bytes.length != 32} */
  public static Digest ofBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("digest must be 32 bytes, got " + bytes.length);
    }
    return new Digest(HEX.formatHex(bytes));
  }

  /** SHA-256 of {@code data} (FIPS 180-4). */
  public static Digest sha256(byte[] data) {
    return ofBytes(newSha256().digest(data));
  }

  /** SHA-256 of the concatenation of {@code parts}, in order. */
  public static Digest sha256(byte[]... parts) {
    MessageDigest md = newSha256();
    for (byte[] p : parts) {
      md.update(p);
    }
    return ofBytes(md.digest());
  }

  /** The raw 32 bytes. */
  public byte[] bytes() {
    return HEX.parseHex(hex);
  }

  /** The first 8 hex characters, for logs and traces. */
  public String shortHex() {
    return hex.substring(0, 8);
  }

  @Override
  public int compareTo(Digest other) {
    return hex.compareTo(other.hex);
  }

  @Override
  public String toString() {
    return hex;
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
