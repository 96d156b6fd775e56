package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * FETCHED-BATCH ⟨n, d, m, j⟩: replica j's answer to a {@link FetchBatch} for (n, d), carrying the
 * batch m (OSDI'99 §4.4, TOCS'02 §6.2.1). The signature covers (n, d, j) only; m is authenticated
 * by its digest: the asker accepts the answer only if {@link #digestMatchesBatch()} and d is the
 * digest it asked for, and drops any other answer without counting it. As large as a PRE-PREPARE
 * of the same batch.
 *
 * @param seqNo n (>= 1)
 * @param digest d
 * @param batch m, the requests in execution order (empty: the null request)
 * @param sender j
 * @param signature over {@link #signedBytes(String)}
 */
public record FetchedBatch(long seqNo, Digest digest, List<Request> batch, NodeId sender,
    byte[] signature) implements ReplicaMessage {

  public FetchedBatch {
    if (seqNo < 1) {
      throw new IllegalArgumentException("seqNo must be >= 1, got " + seqNo);
    }
    Objects.requireNonNull(digest, "digest");
    batch = List.copyOf(Objects.requireNonNull(batch, "batch"));
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs the answer carrying {@code batch} for (n, d). */
  public static FetchedBatch sign(String clusterId, long seqNo, Digest digest,
      List<Request> batch, NodeId sender, Authenticator auth) {
    return new FetchedBatch(seqNo, digest, batch, sender,
        auth.sign(bytes(clusterId, seqNo, sender, digest)));
  }

  /** True when {@code batch} hashes to {@code digest}. */
  public boolean digestMatchesBatch() {
    return PrePrepare.batchDigest(batch).equals(digest);
  }

  @Override
  public String type() {
    return "FETCHED-BATCH";
  }

  @Override
  public byte[] signedBytes(String clusterId) {
    return bytes(clusterId, seqNo, sender, digest);
  }

  private static byte[] bytes(String clusterId, long n, NodeId j, Digest d) {
    return Canonical.begin("FETCHED-BATCH", clusterId).i64(n).i32(j.index()).digest(d).toBytes();
  }

  @Override
  public String toString() {
    return "FETCHED-BATCH(n=" + seqNo + ", d=" + digest.shortHex() + ", " + batch.size()
        + " requests, from " + sender + ")";
  }
}
