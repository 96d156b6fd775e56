package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * NEW-VIEW ⟨v+1, V, O⟩ (OSDI'99 §4.4): the primary of v+1 proves with V (2f+1 VIEW-CHANGEs) that
 * the view may change, and O re-proposes every seqNo between min-s and max-s (null requests for
 * the gaps). Backups recompute O from V before they accept.
 *
 * <p>O holds PRE-PREPARE headers ⟨v+1, n, d⟩ without batches (TOCS'02 §5.1, §6.2.1): a replica
 * that lacks the batch for d fetches it ({@link FetchBatch}) before it prepares. So a legal
 * NEW-VIEW holds 2f+1 VIEW-CHANGEs of O(L × (2f+1)) signatures each and at most L headers:
 * O((2f+1)² × L) signatures, at most {@link #maxCborBytes(int, int)} bytes (quorum 2f+1) whatever the batch
 * or request size (about 116 KB for n = 4, L = 32; about 4.7 MB for n = 31).
 *
 * @param view v+1 (>= 1)
 * @param viewChanges V
 * @param prePrepares O, PRE-PREPARE headers of view v+1 signed by the new primary
 * @param sender the primary of v+1
 * @param signature over {@link #signedBytes(String)}
 */
public record NewView(long view, List<ViewChange> viewChanges, List<PrePrepareHeader> prePrepares,
    NodeId sender, byte[] signature) implements ReplicaMessage {

  public NewView {
    if (view < 1) {
      throw new IllegalArgumentException("NEW-VIEW view must be >= 1, got " + view);
    }
    viewChanges = List.copyOf(Objects.requireNonNull(viewChanges, "viewChanges"));
    prePrepares = List.copyOf(Objects.requireNonNull(prePrepares, "prePrepares"));
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * An upper bound on the CBOR size of a legal NEW-VIEW: 2f+1 times {@link
   * ViewChange#maxCborBytes} plus {@code watermarkWindow} headers and 1 KiB.
   *
   * @param quorum 2f+1 ({@code core.quorum.Quorums#commit}; msg counts no quorums itself)
   * @param watermarkWindow L
   * @return bytes
   */
  public static long maxCborBytes(int quorum, int watermarkWindow) {
    return 1024 + quorum * ViewChange.maxCborBytes(quorum, watermarkWindow)
        + (long) watermarkWindow * PrePrepareHeader.MAX_CBOR_BYTES;
  }

  /** Builds and signs a NEW-VIEW. */
  public static NewView sign(String clusterId, long view, List<ViewChange> viewChanges,
      List<PrePrepareHeader> prePrepares, NodeId sender, Authenticator auth) {
    NewView unsigned = new NewView(view, viewChanges, prePrepares, sender, new byte[0]);
    return new NewView(view, viewChanges, prePrepares, sender,
        auth.sign(unsigned.signedBytes(clusterId)));
  }

  @Override
  public String type() {
    return "NEW-VIEW";
  }

  /** Binds v+1, the sender, and the digests of every VIEW-CHANGE in V and PRE-PREPARE in O. */
  @Override
  public byte[] signedBytes(String clusterId) {
    Canonical c = Canonical.begin("NEW-VIEW", clusterId).i64(view).i32(sender.index())
        .i32(viewChanges.size());
    for (ViewChange vc : viewChanges) {
      c.digest(Digest.sha256(vc.signedBytes(clusterId), vc.signature()));
    }
    c.i32(prePrepares.size());
    for (PrePrepareHeader pp : prePrepares) {
      c.digest(Digest.sha256(pp.signedBytes(clusterId), pp.signature()));
    }
    return c.toBytes();
  }

  @Override
  public String toString() {
    return "NEW-VIEW(v=" + view + ", |V|=" + viewChanges.size() + ", |O|=" + prePrepares.size()
        + ", from " + sender + ")";
  }
}
