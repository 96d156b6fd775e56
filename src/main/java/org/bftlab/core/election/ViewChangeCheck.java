package org.bftlab.core.election;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.core.quorum.Quorums;

/**
 * The validity rules of OSDI'99 §4.4 for VIEW-CHANGE and NEW-VIEW messages, cheapest first. Each
 * check returns the reason a message must be dropped, or empty. Stateless.
 */
final class ViewChangeCheck {
  private final ProtocolParams params;
  private final Authenticator auth;
  private final Quorums quorums;
  /** {@link org.bftlab.core.PlantedBug#NEW_VIEW_DROPS_P}: false outside negative controls. */
  private final boolean dropP;

  ViewChangeCheck(ProtocolParams params, Authenticator auth) {
    this(params, auth, false);
  }

  ViewChangeCheck(ProtocolParams params, Authenticator auth, boolean dropP) {
    this.params = params;
    this.auth = auth;
    this.quorums = new Quorums(params.n());
    this.dropP = dropP;
  }


  /**
   * A VIEW-CHANGE ⟨v+1, n, C, P, i⟩ is valid when i is a member and signed it, C proves the
   * checkpoint n (2f+1 matching signed CHECKPOINTs, or none for n = 0), and P holds at most one
   * valid prepared certificate per seqNo, each in (n, n + L] and of a view below v+1.
   */
  Optional<String> viewChange(ViewChange vc) {
    if (!params.isMember(vc.sender())) {
      return reason("sender " + vc.sender() + " is not a member (n=" + params.n() + ")");
    }
    if (!vc.verify(params.clusterId(), auth)) {
      return reason("signature does not verify under " + vc.sender() + "'s key");
    }
    Optional<String> c = checkpointProof(vc.stableSeqNo(), vc.checkpointProof());
    if (c.isPresent()) {
      return c;
    }
    Set<Long> seqNos = new HashSet<>();
    for (PreparedCertificate pc : vc.prepared()) {
      if (!seqNos.add(pc.prePrepare().seqNo())) {
        return reason("two prepared certificates for seqNo " + pc.prePrepare().seqNo());
      }
      Optional<String> bad = certificate(pc, vc.stableSeqNo(), vc.newView());
      if (bad.isPresent()) {
        return reason("prepared certificate for n=" + pc.prePrepare().seqNo() + ": " + bad.get());
      }
    }
    return Optional.empty();
  }

  /** C proves n: 2f+1 CHECKPOINTs for (n, d), one d, distinct member senders, each signed. */
  Optional<String> checkpointProof(long n, List<Checkpoint> proof) {
    if (n == 0) {
      return proof.isEmpty() ? Optional.empty()
          : reason("checkpoint proof given for n=0 (genesis needs none)");
    }
    if (n % params.checkpointInterval() != 0) {
      return reason("stable checkpoint n=" + n + " is not a multiple of K="
          + params.checkpointInterval());
    }
    if (proof.isEmpty()) {
      return reason("no checkpoint proof for n=" + n);
    }
    Digest d = proof.get(0).digest();
    Set<NodeId> senders = new HashSet<>();
    for (Checkpoint c : proof) {
      if (c.seqNo() != n || !c.digest().equals(d)) {
        return reason("checkpoint proof mixes " + c + " into (n=" + n + ", d=" + d.shortHex() + ")");
      }
      if (!params.isMember(c.sender()) || !senders.add(c.sender())) {
        return reason("checkpoint proof repeats or invents sender " + c.sender());
      }
      if (!c.verify(params.clusterId(), auth)) {
        return reason("checkpoint proof: " + c + " is not signed by " + c.sender());
      }
    }
    return senders.size() >= quorums.commit() ? Optional.empty()
        : reason("checkpoint proof for n=" + n + " has " + senders.size() + " CHECKPOINTs, needs "
            + quorums.commit());
  }

  /**
   * P_m is valid: the PRE-PREPARE header is primary(v)'s, signed, of a view below {@code
   * newView}, lies in (n, n + L]; and 2f PREPAREs for the same (v, n, d)
   * from distinct backups of view v, each signed.
   */
  Optional<String> certificate(PreparedCertificate pc, long n, long newView) {
    PrePrepareHeader pp = pc.prePrepare();
    if (pp.view() >= newView) {
      return reason("view " + pp.view() + " is not below the new view " + newView);
    }
    if (pp.seqNo() <= n || pp.seqNo() > n + params.watermarkWindow()) {
      return reason("seqNo outside (n, n + L] = (" + n + ", " + (n + params.watermarkWindow())
          + "]");
    }
    NodeId primary = params.primary(pp.view());
    if (!pp.sender().equals(primary)) {
      return reason("PRE-PREPARE from " + pp.sender() + ", not primary(" + pp.view() + ") = "
          + primary);
    }
    if (!pp.verify(params.clusterId(), auth)) {
      return reason("PRE-PREPARE signature does not verify");
    }
    Set<NodeId> senders = new HashSet<>();
    for (Prepare p : pc.prepares()) {
      if (p.view() != pp.view() || p.seqNo() != pp.seqNo() || !p.digest().equals(pp.digest())) {
        return reason(p + " does not match " + pp);
      }
      if (!params.isMember(p.sender()) || p.sender().equals(primary) || !senders.add(p.sender())) {
        return reason(p + " is not from a distinct backup of view " + pp.view());
      }
      if (!p.verify(params.clusterId(), auth)) {
        return reason(p + " is not signed by " + p.sender());
      }
    }
    return senders.size() >= quorums.prepare() ? Optional.empty()
        : reason(senders.size() + " PREPAREs, needs 2f = " + quorums.prepare());
  }

  /**
   * A NEW-VIEW ⟨v+1, V, O⟩ is valid when primary(v+1) signed it, V holds 2f+1 valid VIEW-CHANGEs
   * for v+1 from distinct replicas, and O equals the O recomputed from V: the same seqNos and
   * digests in order, each a PRE-PREPARE header of primary(v+1) for v+1, signed (the batches
   * are fetched afterwards, by agreement).
   *
   * @return the plan, or the reason to drop the message
   */
  Result newView(NewView nv) {
    NodeId primary = params.primary(nv.view());
    if (!nv.sender().equals(primary)) {
      return Result.bad("sender " + nv.sender() + " is not primary(" + nv.view() + ") = " + primary);
    }
    if (!nv.verify(params.clusterId(), auth)) {
      return Result.bad("signature does not verify under " + nv.sender() + "'s key");
    }
    Set<NodeId> senders = new HashSet<>();
    for (ViewChange vc : nv.viewChanges()) {
      if (vc.newView() != nv.view()) {
        return Result.bad("V holds a VIEW-CHANGE for view " + vc.newView());
      }
      if (!senders.add(vc.sender())) {
        return Result.bad("V holds two VIEW-CHANGEs from " + vc.sender());
      }
      Optional<String> bad = viewChange(vc);
      if (bad.isPresent()) {
        return Result.bad("V holds an invalid VIEW-CHANGE from " + vc.sender() + ": " + bad.get());
      }
    }
    if (senders.size() < quorums.commit()) {
      return Result.bad("V holds " + senders.size() + " VIEW-CHANGEs, needs 2f+1 = "
          + quorums.commit());
    }
    NewViewPlan plan = NewViewPlan.of(nv.viewChanges(), dropP);
    List<PrePrepareHeader> o = nv.prePrepares();
    if (o.size() != plan.proposals().size()) {
      return Result.bad("O has " + o.size() + " PRE-PREPAREs, recomputed O has "
          + plan.proposals().size() + " (min-s=" + plan.minS() + ", max-s=" + plan.maxS() + ")");
    }
    for (int i = 0; i < o.size(); i++) {
      PrePrepareHeader pp = o.get(i);
      NewViewPlan.Proposal want = plan.proposals().get(i);
      if (pp.view() != nv.view() || pp.seqNo() != want.seqNo() || !pp.digest().equals(want.digest())
          || !pp.sender().equals(primary)) {
        return Result.bad("O differs from the recomputed O at n=" + want.seqNo() + ": got " + pp
            + ", want d=" + want.digest().shortHex());
      }
      if (!pp.verify(params.clusterId(), auth)) {
        return Result.bad("O holds a PRE-PREPARE for n=" + pp.seqNo() + " that is not signed by "
            + primary);
      }
    }
    return new Result(Optional.of(plan), "");
  }

  /** The outcome of {@link #newView}: a plan, or the reason. */
  record Result(Optional<NewViewPlan> plan, String reason) {
    static Result bad(String why) {
      return new Result(Optional.empty(), why);
    }
  }

  private static Optional<String> reason(String r) {
    return Optional.of(r);
  }
}
