package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * PRE-PREPARE ⟨v, n, d⟩ with the batch m piggybacked (OSDI'99 §4.2; batching per TOCS'02 §5.1):
 * the primary of view v assigns sequence number n to the batch whose digest is d.
 *
 * @param view v (>= 0)
 * @param seqNo n (>= 1)
 * @param digest d = {@link #batchDigest(List)} of {@code batch} (a receiver checks it)
 * @param batch the requests, in execution order; empty for a null request
 * @param sender the primary that signed it
 * @param signature over {@link #signedBytes(String)}
 */
public record PrePrepare(long view, long seqNo, Digest digest, List<Request> batch, NodeId sender,
    byte[] signature) implements ReplicaMessage {

  public PrePrepare {
    checkViewSeq(view, seqNo);
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
    batch = List.copyOf(Objects.requireNonNull(batch, "batch"));
  }

  /** Builds the PRE-PREPARE for {@code batch} and signs it with {@code auth}. */
  public static PrePrepare sign(String clusterId, long view, long seqNo, List<Request> batch,
      NodeId sender, Authenticator auth) {
    Digest d = batchDigest(batch);
    byte[] sig = auth.sign(signedBytes(clusterId, view, seqNo, sender, d));
    return new PrePrepare(view, seqNo, d, batch, sender, sig);
  }

  /** d: SHA-256 over the count and the digests of the requests in order; a null request's is fixed. */
  public static Digest batchDigest(List<Request> batch) {
    Canonical c = Canonical.bare("BATCH").i32(batch.size());
    for (Request r : batch) {
      c.digest(r.digest());
    }
    return Digest.sha256(c.toBytes());
  }

  /** True when {@link #digest()} is the digest of {@link #batch()}. */
  public boolean digestMatchesBatch() {
    return batchDigest(batch).equals(digest);
  }

  /** This PRE-PREPARE without its batch, as VIEW-CHANGE and NEW-VIEW carry it (§4.4). */
  public PrePrepareHeader header() {
    return new PrePrepareHeader(view, seqNo, digest, sender, signature);
  }

  @Override
  public String type() {
    return "PRE-PREPARE";
  }

  /** Covers (cluster, v, n, sender, d) only, not the batch: see {@link PrePrepareHeader}. */
  @Override
  public byte[] signedBytes(String clusterId) {
    return signedBytes(clusterId, view, seqNo, sender, digest);
  }

  static byte[] signedBytes(String clusterId, long v, long n, NodeId i, Digest d) {
    return Canonical.begin("PRE-PREPARE", clusterId).i64(v).i64(n).i32(i.index()).digest(d).toBytes();
  }

  static void checkViewSeq(long view, long seqNo) {
    if (view < 0) {
      throw new IllegalArgumentException("view must be >= 0, got " + view);
    }
    if (seqNo < 1) {
      throw new IllegalArgumentException("seqNo must be >= 1, got " + seqNo);
    }
  }

  @Override
  public String toString() {
    return "PRE-PREPARE(v=" + view + ", n=" + seqNo + ", d=" + digest.shortHex() + ", "
        + batch.size() + " requests, from " + sender + ")";
  }
}
