package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * CHECKPOINT ⟨n, d, i⟩ (OSDI'99 §4.3): replica i executed up to sequence number n and its state
 * there has digest d (in bftlab: the digest of the block header at height n and the world-state
 * root). 2f+1 matching CHECKPOINTs make the checkpoint stable.
 *
 * @param seqNo n (>= 1), a multiple of the checkpoint interval K
 * @param digest d
 * @param sender i
 * @param signature over {@link #signedBytes(String)}
 */
public record Checkpoint(long seqNo, Digest digest, NodeId sender, byte[] signature)
    implements ReplicaMessage {

  public Checkpoint {
    if (seqNo < 1) {
      throw new IllegalArgumentException("checkpoint seqNo must be >= 1, got " + seqNo);
    }
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a CHECKPOINT. */
  public static Checkpoint sign(String clusterId, long seqNo, Digest digest, NodeId sender,
      Authenticator auth) {
    return new Checkpoint(seqNo, digest, sender, auth.sign(bytes(clusterId, seqNo, sender, digest)));
  }

  @Override
  public String type() {
    return "CHECKPOINT";
  }

  @Override
  public byte[] signedBytes(String clusterId) {
    return bytes(clusterId, seqNo, sender, digest);
  }

  private static byte[] bytes(String clusterId, long n, NodeId i, Digest d) {
    return Canonical.begin("CHECKPOINT", clusterId).i64(n).i32(i.index()).digest(d).toBytes();
  }

  @Override
  public String toString() {
    return "CHECKPOINT(n=" + seqNo + ", d=" + digest.shortHex() + ", from " + sender + ")";
  }
}
