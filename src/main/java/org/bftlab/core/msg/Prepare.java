package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * PREPARE ⟨v, n, d, i⟩: backup i accepted the PRE-PREPARE for (v, n) with digest d (OSDI'99 §4.2).
 *
 * @param view v (>= 0)
 * @param seqNo n (>= 1)
 * @param digest d
 * @param sender i
 * @param signature over {@link #signedBytes(String)}
 */
public record Prepare(long view, long seqNo, Digest digest, NodeId sender, byte[] signature)
    implements ReplicaMessage {

  public Prepare {
    PrePrepare.checkViewSeq(view, seqNo);
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a PREPARE. */
  public static Prepare sign(String clusterId, long view, long seqNo, Digest digest, NodeId sender,
      Authenticator auth) {
    byte[] sig = auth.sign(bytes(clusterId, view, seqNo, sender, digest));
    return new Prepare(view, seqNo, digest, sender, sig);
  }

  @Override
  public String type() {
    return "PREPARE";
  }

  @Override
  public byte[] signedBytes(String clusterId) {
    return bytes(clusterId, view, seqNo, sender, digest);
  }

  private static byte[] bytes(String clusterId, long v, long n, NodeId i, Digest d) {
    return Canonical.begin("PREPARE", clusterId).i64(v).i64(n).i32(i.index()).digest(d).toBytes();
  }

  @Override
  public String toString() {
    return "PREPARE(v=" + view + ", n=" + seqNo + ", d=" + digest.shortHex() + ", from " + sender + ")";
  }
}
