package org.bftlab.core.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 digest (FIPS 180-4): 32 bytes, a value that compares, hashes, prints and
 * serialises as its 64 lowercase hex characters.
 *
 * <p>Held as the 32 raw bytes; the hex form is made once, on first use, at the edges (JSON,
 * CBOR, logs). Hashing and Merkle nodes read the bytes without parsing hex (issue 9: the hex
 * record made and re-parsed a 64-character string per digest, ~10 % of a replica's samples).
 * Equality, hash code and order are those of the hex form: two digests are equal iff their bytes
 * are, and {@link #compareTo} orders by unsigned bytes, which is the hex strings' order.
 * Immutable; SHA-256 instances are kept one per thread.
 */
public final class Digest implements Comparable<Digest> {
  /** Length of a digest in bytes. */
  public static final int BYTES = 32;

  private static final HexFormat HEX = HexFormat.of();
  private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

  /** The all-zero digest: the previous-block hash of block 1 and the root of an empty tree. */
  public static final Digest ZERO = new Digest(new byte[BYTES], "0".repeat(2 * BYTES));

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(Digest::newSha256);

  private final byte[] bytes;
  /** The hex string's hash code, so hash-map iteration orders stay those of the hex record. */
  private final transient int hash;
  /** The hex form, made on first use; racy but idempotent (a String is immutable). */
  private transient String hex;

  /**
   * The digest written as {@code hex}.
   *
   * @param hex 64 lowercase hexadecimal characters
   * @throws IllegalArgumentException otherwise
   */
  public Digest(String hex) {
    this(parse(hex), hex);
  }

  private Digest(byte[] bytes, String hex) {
    this.bytes = bytes;
    this.hex = hex;
    this.hash = hexHashCode(bytes);
  }

  /** {@code String.hashCode()} of the lowercase hex form, without making the string. */
  private static int hexHashCode(byte[] b) {
    int h = 0;
    for (byte x : b) {
      h = 31 * h + HEX_DIGITS[(x >> 4) & 0xf];
      h = 31 * h + HEX_DIGITS[x & 0xf];
    }
    return h;
  }

  private static byte[] parse(String hex) {
    if (!isLowerHex64(hex)) {
      throw new IllegalArgumentException("digest must be 64 lowercase hex characters, got: " + hex);
    }
    return HEX.parseHex(hex);
  }

  /** True when {@code s} is 64 characters of {@code [0-9a-f]} (no regex: digests are hot). */
  public static boolean isLowerHex64(String s) {
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

  /** Wraps (a copy of) 32 raw bytes. @throws IllegalArgumentException if {@code bytes.length != 32} */
  public static Digest ofBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("digest must be 32 bytes, got " + bytes.length);
    }
    return new Digest(bytes.clone(), null);
  }

  /** SHA-256 of {@code data} (FIPS 180-4). */
  public static Digest sha256(byte[] data) {
    MessageDigest md = SHA256.get();
    md.reset();
    return new Digest(md.digest(data), null);
  }

  /** SHA-256 of the concatenation of {@code parts}, in order. */
  public static Digest sha256(byte[]... parts) {
    MessageDigest md = SHA256.get();
    md.reset();
    for (byte[] p : parts) {
      md.update(p);
    }
    return new Digest(md.digest(), null);
  }

  /** SHA-256 of {@code prefix} followed by the 32 bytes of each of {@code parts}, in order. */
  public static Digest sha256(byte prefix, Digest... parts) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(prefix);
    return finish(md, parts);
  }

  /** SHA-256 of the 32 bytes of each of {@code parts}, in order (no prefix). */
  public static Digest sha256(Digest... parts) {
    MessageDigest md = SHA256.get();
    md.reset();
    return finish(md, parts);
  }

  private static Digest finish(MessageDigest md, Digest[] parts) {
    for (Digest p : parts) {
      md.update(p.bytes);
    }
    return new Digest(md.digest(), null);
  }

  /** The 64 lowercase hex characters. */
  public String hex() {
    String h = hex;
    if (h == null) {
      h = HEX.formatHex(bytes);
      hex = h;
    }
    return h;
  }

  /** The raw 32 bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The first 8 hex characters, for logs and traces. */
  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public int compareTo(Digest other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Digest d && d.hash == hash && Arrays.equals(d.bytes, bytes));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
