package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * A PRE-PREPARE ⟨v, n, d⟩ without its batch: what VIEW-CHANGE (in P) and NEW-VIEW (in O) carry
 * (OSDI'99 §4.4; TOCS'02 §5.1 and §6.2.1: "view-change messages carry digests", the requests
 * themselves are fetched on demand, see {@link FetchBatch}). The signature of a {@link
 * PrePrepare} covers only (cluster, v, n, primary, d), so a header verifies against the very
 * bytes its full PRE-PREPARE was signed over, and {@link #withBatch} rebuilds that PRE-PREPARE
 * from a batch whose digest is d. A header takes at most {@link #MAX_CBOR_BYTES} on the wire.
 *
 * @param view v (>= 0)
 * @param seqNo n (>= 1)
 * @param digest d, the digest of the batch ({@link PrePrepare#batchDigest(List)})
 * @param sender the primary of v that signed it
 * @param signature the PRE-PREPARE's signature, over {@link #signedBytes(String)}
 */
public record PrePrepareHeader(long view, long seqNo, Digest digest, NodeId sender,
    byte[] signature) {

  /**
   * CBOR bytes of one header, an upper bound (field names, two longs, a 64-hex digest, a node
   * id, a 64-byte signature); a PREPARE, CHECKPOINT or COMMIT is no larger.
   */
  public static final int MAX_CBOR_BYTES = 320;

  public PrePrepareHeader {
    PrePrepare.checkViewSeq(view, seqNo);
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Signs the header ⟨v, n, d⟩ of a PRE-PREPARE without holding its batch (the new primary's O). */
  public static PrePrepareHeader sign(String clusterId, long view, long seqNo, Digest digest,
      NodeId sender, Authenticator auth) {
    return new PrePrepareHeader(view, seqNo, digest, sender,
        auth.sign(PrePrepare.signedBytes(clusterId, view, seqNo, sender, digest)));
  }

  /** The bytes the signature covers: those of the full PRE-PREPARE. */
  public byte[] signedBytes(String clusterId) {
    return PrePrepare.signedBytes(clusterId, view, seqNo, sender, digest);
  }

  /** True when the signature is {@link #sender()}'s valid PRE-PREPARE signature. */
  public boolean verify(String clusterId, Authenticator auth) {
    return auth.verifyReplica(sender, signedBytes(clusterId), signature);
  }

  /**
   * The full PRE-PREPARE, with {@code batch} piggybacked and the same signature.
   *
   * @throws IllegalArgumentException when {@code batch} does not hash to {@link #digest()}
   */
  public PrePrepare withBatch(List<Request> batch) {
    if (!PrePrepare.batchDigest(batch).equals(digest)) {
      throw new IllegalArgumentException("batch of " + batch.size() + " requests does not hash to "
          + digest.shortHex());
    }
    return new PrePrepare(view, seqNo, digest, batch, sender, signature);
  }

  @Override
  public String toString() {
    return "PRE-PREPARE-HEADER(v=" + view + ", n=" + seqNo + ", d=" + digest.shortHex()
        + ", from " + sender + ")";
  }
}
