package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * FETCH-BATCH ⟨n, d, i⟩: replica i holds the PRE-PREPARE header for seqNo n with digest d (from a
 * NEW-VIEW's O) but not the batch, and asks its peers for it (OSDI'99 §4.4: "if the replica does
 * not have the request ... it obtains it from another replica"; TOCS'02 §6.2.1). A peer answers
 * with {@link FetchedBatch} only for n inside its watermark window (h, H], at most once per
 * (peer, n) per retransmission period; i accepts an answer only if its batch hashes to d.
 *
 * @param seqNo n (>= 1)
 * @param digest d, the batch digest wanted
 * @param sender i
 * @param signature over {@link #signedBytes(String)}
 */
public record FetchBatch(long seqNo, Digest digest, NodeId sender, byte[] signature)
    implements ReplicaMessage {

  public FetchBatch {
    if (seqNo < 1) {
      throw new IllegalArgumentException("seqNo must be >= 1, got " + seqNo);
    }
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a FETCH-BATCH. */
  public static FetchBatch sign(String clusterId, long seqNo, Digest digest, NodeId sender,
      Authenticator auth) {
    return new FetchBatch(seqNo, digest, sender,
        auth.sign(bytes(clusterId, seqNo, sender, digest)));
  }

  @Override
  public String type() {
    return "FETCH-BATCH";
  }

  @Override
  public byte[] signedBytes(String clusterId) {
    return bytes(clusterId, seqNo, sender, digest);
  }

  private static byte[] bytes(String clusterId, long n, NodeId i, Digest d) {
    return Canonical.begin("FETCH-BATCH", clusterId).i64(n).i32(i.index()).digest(d).toBytes();
  }

  @Override
  public String toString() {
    return "FETCH-BATCH(n=" + seqNo + ", d=" + digest.shortHex() + ", from " + sender + ")";
  }
}
