package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * VIEW-CHANGE ⟨v+1, n, C, P, i⟩ (OSDI'99 §4.4): replica i moves to view {@code newView}; n is its
 * last stable checkpoint, C the 2f+1 CHECKPOINTs proving it, P a prepared certificate for every
 * seqNo above n at which i prepared a batch.
 *
 * <p>Size: P holds PRE-PREPARE headers (digests, never batches; TOCS'02 §5.1), so a legal
 * VIEW-CHANGE has at most 2f+1 CHECKPOINTs and L certificates of 2f+1 signed messages each:
 * O(L × (2f+1)) signatures, at most {@link #maxCborBytes(int, int)} bytes (quorum 2f+1) whatever the batch or
 * request size (about 35 KB for n = 4, L = 32).
 *
 * @param newView v+1 (>= 1)
 * @param stableSeqNo n, the last stable checkpoint (0 if none)
 * @param checkpointProof C
 * @param prepared P
 * @param sender i
 * @param signature over {@link #signedBytes(String)}
 */
public record ViewChange(long newView, long stableSeqNo, List<Checkpoint> checkpointProof,
    List<PreparedCertificate> prepared, NodeId sender, byte[] signature) implements ReplicaMessage {

  public ViewChange {
    if (newView < 1) {
      throw new IllegalArgumentException("VIEW-CHANGE newView must be >= 1, got " + newView);
    }
    if (stableSeqNo < 0) {
      throw new IllegalArgumentException("stableSeqNo must be >= 0, got " + stableSeqNo);
    }
    checkpointProof = List.copyOf(Objects.requireNonNull(checkpointProof, "checkpointProof"));
    prepared = List.copyOf(Objects.requireNonNull(prepared, "prepared"));
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * An upper bound on the CBOR size of a legal VIEW-CHANGE: 2f+1 CHECKPOINTs and {@code
   * watermarkWindow} prepared certificates of 2f+1 signed headers, each at most {@link
   * PrePrepareHeader#MAX_CBOR_BYTES}, plus 1 KiB for its own fields.
   *
   * @param quorum 2f+1 ({@code core.quorum.Quorums#commit}; msg counts no quorums itself)
   * @param watermarkWindow L
   * @return bytes
   */
  public static long maxCborBytes(int quorum, int watermarkWindow) {
    return 1024 + quorum * PrePrepareHeader.MAX_CBOR_BYTES
        + (long) watermarkWindow * (quorum * PrePrepareHeader.MAX_CBOR_BYTES + 64);
  }

  /** Builds and signs a VIEW-CHANGE. */
  public static ViewChange sign(String clusterId, long newView, long stableSeqNo,
      List<Checkpoint> checkpointProof, List<PreparedCertificate> prepared, NodeId sender,
      Authenticator auth) {
    ViewChange unsigned = new ViewChange(newView, stableSeqNo, checkpointProof, prepared, sender,
        new byte[0]);
    return new ViewChange(newView, stableSeqNo, checkpointProof, prepared, sender,
        auth.sign(unsigned.signedBytes(clusterId)));
  }

  @Override
  public String type() {
    return "VIEW-CHANGE";
  }

  /** Binds v+1, n, i and the digests of every message in C and P. */
  @Override
  public byte[] signedBytes(String clusterId) {
    Canonical c = Canonical.begin("VIEW-CHANGE", clusterId).i64(newView).i64(stableSeqNo)
        .i32(sender.index()).i32(checkpointProof.size());
    for (Checkpoint cp : checkpointProof) {
      c.digest(Digest.sha256(cp.signedBytes(clusterId), cp.signature()));
    }
    c.i32(prepared.size());
    for (PreparedCertificate pc : prepared) {
      c.digest(Digest.sha256(pc.prePrepare().signedBytes(clusterId), pc.prePrepare().signature()));
      c.i32(pc.prepares().size());
      for (Prepare p : pc.prepares()) {
        c.digest(Digest.sha256(p.signedBytes(clusterId), p.signature()));
      }
    }
    return c.toBytes();
  }

  @Override
  public String toString() {
    return "VIEW-CHANGE(v+1=" + newView + ", n=" + stableSeqNo + ", |C|=" + checkpointProof.size()
        + ", |P|=" + prepared.size() + ", from " + sender + ")";
  }
}
