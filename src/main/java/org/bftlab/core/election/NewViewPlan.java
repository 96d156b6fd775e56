package org.bftlab.core.election;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ViewChange;

/**
 * The O of a NEW-VIEW computed from its V (OSDI'99 §4.4): "min-s is the sequence number of the
 * latest stable checkpoint in V and max-s is the highest sequence number in a prepare message in
 * V. For each sequence number n between min-s and max-s, the primary creates a new pre-prepare
 * message for view v+1 ... either with the digest of the request in the prepared certificate with
 * the highest view number in V, or with the null request if there is none." The primary signs the
 * proposals; a backup recomputes them and accepts only an identical O. Deterministic: the same V
 * in any order gives the same plan.
 *
 * @param minS min-s
 * @param minSDigest d of the checkpoint at min-s ({@link Digest#ZERO} when min-s = 0)
 * @param minSProof the 2f+1 CHECKPOINTs proving min-s (empty when min-s = 0)
 * @param maxS max-s (>= min-s)
 * @param proposals one per seqNo in (min-s, max-s], in seqNo order
 */
public record NewViewPlan(long minS, Digest minSDigest, List<Checkpoint> minSProof, long maxS,
    List<Proposal> proposals) {

  /** The digest of the null request (an empty batch). */
  public static final Digest NULL_DIGEST = PrePrepare.batchDigest(List.of());

  public NewViewPlan {
    Objects.requireNonNull(minSDigest, "minSDigest");
    minSProof = List.copyOf(minSProof);
    proposals = List.copyOf(proposals);
    if (maxS < minS || proposals.size() != maxS - minS) {
      throw new IllegalArgumentException("need one proposal per seqNo in (" + minS + ", " + maxS
          + "], got " + proposals.size());
    }
  }

  /**
   * What the new primary re-proposes at {@code seqNo}: the digest of the batch prepared in the
   * highest view, or of the null request. Digests only: O carries no batches (TOCS'02 §5.1), a
   * replica that lacks one fetches it before it prepares.
   */
  public record Proposal(long seqNo, Digest digest) {
    public Proposal {
      Objects.requireNonNull(digest, "digest");
    }

    /** True for a null request. */
    public boolean isNull() {
      return digest.equals(NULL_DIGEST);
    }
  }

  /**
   * Computes the plan from V, which must consist of VIEW-CHANGEs already checked by {@link
   * ViewChangeCheck} (so that every certificate lies within its sender's (n, n + L]).
   */
  public static NewViewPlan of(List<ViewChange> v) {
    return of(v, false);
  }

  /**
   * As {@link #of(List)}; with {@code dropP} (the planted bug {@link
   * org.bftlab.core.PlantedBug#NEW_VIEW_DROPS_P}, negative controls only) every proposal is the
   * null request, whatever the certificates say.
   */
  static NewViewPlan of(List<ViewChange> v, boolean dropP) {
    long minS = 0;
    Digest minSDigest = Digest.ZERO;
    List<Checkpoint> proof = List.of();
    for (ViewChange vc : v) {
      if (vc.stableSeqNo() > minS) {
        minS = vc.stableSeqNo();
        minSDigest = vc.checkpointProof().get(0).digest();
        proof = vc.checkpointProof();
      }
    }
    Map<Long, PrePrepareHeader> chosen = new HashMap<>();
    long maxS = minS;
    for (ViewChange vc : v) {
      for (PreparedCertificate pc : vc.prepared()) {
        PrePrepareHeader pp = pc.prePrepare();
        if (pp.seqNo() <= minS) {
          continue;
        }
        maxS = Math.max(maxS, pp.seqNo());
        chosen.merge(pp.seqNo(), pp, NewViewPlan::higher);
      }
    }
    List<Proposal> proposals = new ArrayList<>();
    for (long n = minS + 1; n <= maxS; n++) {
      PrePrepareHeader pp = dropP ? null : chosen.get(n);
      proposals.add(new Proposal(n, pp == null ? NULL_DIGEST : pp.digest()));
    }
    return new NewViewPlan(minS, minSDigest, proof, maxS, proposals);
  }

  /** The certificate of the higher view; between equal views (only beyond f faults) the smaller digest. */
  private static PrePrepareHeader higher(PrePrepareHeader a, PrePrepareHeader b) {
    if (a.view() != b.view()) {
      return a.view() > b.view() ? a : b;
    }
    return a.digest().compareTo(b.digest()) <= 0 ? a : b;
  }
}
