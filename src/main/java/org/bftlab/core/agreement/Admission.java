package org.bftlab.core.agreement;

import java.util.List;
import java.util.Optional;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;

/**
 * The stateless-per-message acceptance rules of OSDI'99 §4.2 (membership, view, watermarks,
 * role, signature, content), cheapest first. Each check returns the reason a message must be
 * dropped, or empty. Per-sender duplicates and conflicting digests depend on the log and are
 * checked by {@link AgreementCore}.
 */
final class Admission {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;

  Admission(ProtocolParams params, NodeId self, Authenticator auth) {
    this.params = params;
    this.self = self;
    this.auth = auth;
  }

  /**
   * §4.2: "a backup accepts a pre-prepare message provided the signatures in the request and the
   * pre-prepare message are correct and d is the digest for m; it is in view v; it has not
   * accepted a pre-prepare message for view v and sequence number n containing a different
   * digest; the sequence number is between h and H". Plus: the sender is primary(v), this
   * replica is not, and every request fits maxRequestBytes.
   */
  Optional<String> prePrepare(AgreementState s, PrePrepare pp) {
    Optional<String> common = common(s, pp, pp.view(), pp.seqNo());
    if (common.isPresent()) {
      return common;
    }
    NodeId primary = params.primary(pp.view());
    if (!pp.sender().equals(primary)) {
      return reason("sender " + pp.sender() + " is not the primary of view " + pp.view() + " ("
          + primary + ")");
    }
    if (self.equals(primary)) {
      return reason("this replica is the primary of view " + pp.view()
          + "; it sends PRE-PREPAREs and accepts none");
    }
    if (!pp.verify(params.clusterId(), auth)) {
      return badSignature(pp);
    }
    return batch(pp.digest(), pp.batch());
  }

  /**
   * The content rules of a PRE-PREPARE's batch, also applied to a batch fetched for a header of
   * O ({@link BatchFetch}): {@code digest} is the digest of {@code batch}, and every request fits
   * maxRequestBytes. (Client signatures are checked per transaction at execution, where a bad
   * one becomes BAD_SIGNATURE in the block.)
   */
  Optional<String> batch(Digest digest, List<Request> batch) {
    if (!PrePrepare.batchDigest(batch).equals(digest)) {
      return reason("digest " + digest.shortHex() + " is not the digest of the "
          + batch.size() + "-request batch it carries");
    }
    for (Request r : batch) {
      int size = r.canonicalSize();
      if (size > params.maxRequestBytes()) {
        return reason("request " + r + " is " + size + " bytes, more than maxRequestBytes "
            + params.maxRequestBytes());
      }
    }
    return Optional.empty();
  }

  /** §4.2: a PREPARE from a backup of the current view, inside the watermarks, correctly signed. */
  Optional<String> prepare(AgreementState s, Prepare p) {
    Optional<String> common = common(s, p, p.view(), p.seqNo());
    if (common.isPresent()) {
      return common;
    }
    if (p.sender().equals(params.primary(p.view()))) {
      return reason("sender " + p.sender() + " is the primary of view " + p.view()
          + "; the primary sends no PREPARE");
    }
    return p.verify(params.clusterId(), auth) ? Optional.empty() : badSignature(p);
  }

  /** §4.2: a COMMIT from a member, for the current view, inside the watermarks, correctly signed. */
  Optional<String> commit(AgreementState s, Commit c) {
    Optional<String> common = common(s, c, c.view(), c.seqNo());
    if (common.isPresent()) {
      return common;
    }
    return c.verify(params.clusterId(), auth) ? Optional.empty() : badSignature(c);
  }

  private Optional<String> common(AgreementState s, ReplicaMessage m, long view, long seqNo) {
    if (!params.isMember(m.sender())) {
      return reason("sender " + m.sender() + " is not a member of this cluster (n=" + params.n()
          + ")");
    }
    if (m.sender().equals(self)) {
      return reason("message claims this replica as its sender; own messages are logged when "
          + "signed, never received");
    }
    if (s.viewChangeInProgress() && view != s.view()) {
      return reason("a view change to " + s.viewChangeTarget() + " is in progress: only "
          + "CHECKPOINT, VIEW-CHANGE, NEW-VIEW and (learnt passively) messages of view "
          + s.view() + " are accepted (§4.4)");
    }
    if (view != s.view()) {
      return reason("view " + view + " is not the current view " + s.view());
    }
    if (seqNo <= s.lowWatermark() || seqNo > s.highWatermark()) {
      return reason("seqNo " + seqNo + " is outside the watermarks: need h=" + s.lowWatermark()
          + " < n <= H=" + s.highWatermark());
    }
    return Optional.empty();
  }

  /**
   * True when {@code m} is a correctly signed message of a member other than this replica for a
   * view above every view this replica is in or changing to: evidence that its sender moved on
   * (election counts such senders, {@link org.bftlab.core.Signal.HigherViewSeen}).
   */
  boolean fromHigherView(AgreementState s, ReplicaMessage m, long view) {
    return view > s.viewChangeTarget() && params.isMember(m.sender()) && !m.sender().equals(self)
        && m.verify(params.clusterId(), auth);
  }

  private Optional<String> badSignature(ReplicaMessage m) {
    return reason("signature does not verify under " + m.sender() + "'s key for cluster '"
        + params.clusterId() + "'");
  }

  private static Optional<String> reason(String r) {
    return Optional.of(r);
  }
}
