package org.bftlab.core.msg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bftlab.core.model.Digest;

/**
 * Writes canonical bytes field by field: big-endian fixed-width integers, length-prefixed
 * UTF-8 strings and byte strings, raw 32-byte digests. The same fields in the same order always
 * give the same bytes; two different field lists never give the same bytes (every variable-length
 * field is length-prefixed and every message starts with its type tag).
 */
public final class Canonical {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

  private Canonical() {}

  /** Starts a message: domain tag {@code "bftlab/1"}, then the message type, then the cluster id. */
  public static Canonical begin(String type, String clusterId) {
    return new Canonical().str("bftlab/1").str(type).str(clusterId);
  }

  /** Starts a bare encoding (no header): for hashing ledger structures. */
  public static Canonical bare(String type) {
    return new Canonical().str(type);
  }

  public Canonical i64(long v) {
    for (int s = 56; s >= 0; s -= 8) {
      out.write((int) (v >>> s));
    }
    return this;
  }

  public Canonical i32(int v) {
    for (int s = 24; s >= 0; s -= 8) {
      out.write(v >>> s);
    }
    return this;
  }

  public Canonical str(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public Canonical bytes(byte[] b) {
    i32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  public Canonical digest(Digest d) {
    byte[] b = d.bytes();
    out.write(b, 0, b.length);
    return this;
  }

  public Canonical strs(List<String> list) {
    i32(list.size());
    for (String s : list) {
      str(s);
    }
    return this;
  }

  public byte[] toBytes() {
    return out.toByteArray();
  }
}
