package org.bftlab.transport.byzantine;

import java.util.Optional;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.Status;
import org.bftlab.core.msg.ViewChange;

/**
 * Replacing the signature of a message: with the node's own valid signature over the (altered)
 * content, or with arbitrary bytes. Covers every replica message — PRE-PREPARE, PREPARE, COMMIT,
 * CHECKPOINT, VIEW-CHANGE, NEW-VIEW, STATUS, the state transfer messages, FETCH-BATCH and
 * FETCHED-BATCH — and forwarded
 * REQUESTs (whose signature is the client's).
 */
final class Resign {
  private Resign() {}

  /** {@code m} carrying {@code signature}, if its type is covered. */
  static Optional<ProtocolMessage> withSignature(ProtocolMessage m, byte[] signature) {
    if (m instanceof PrePrepare p) {
      return Optional.of(new PrePrepare(p.view(), p.seqNo(), p.digest(), p.batch(), p.sender(),
          signature));
    } else if (m instanceof Prepare p) {
      return Optional.of(new Prepare(p.view(), p.seqNo(), p.digest(), p.sender(), signature));
    } else if (m instanceof Commit c) {
      return Optional.of(new Commit(c.view(), c.seqNo(), c.digest(), c.sender(), signature));
    } else if (m instanceof Checkpoint c) {
      return Optional.of(new Checkpoint(c.seqNo(), c.digest(), c.sender(), signature));
    } else if (m instanceof StateRequest s) {
      return Optional.of(new StateRequest(s.fromHeight(), s.toHeight(), s.sender(), signature));
    } else if (m instanceof StateResponse s) {
      return Optional.of(new StateResponse(s.blocks(), s.checkpointProof(), s.sender(),
          signature));
    } else if (m instanceof ViewChange v) {
      return Optional.of(new ViewChange(v.newView(), v.stableSeqNo(), v.checkpointProof(),
          v.prepared(), v.sender(), signature));
    } else if (m instanceof NewView v) {
      return Optional.of(new NewView(v.view(), v.viewChanges(), v.prePrepares(), v.sender(),
          signature));
    } else if (m instanceof Status st) {
      return Optional.of(new Status(st.view(), st.stableSeqNo(), st.lastExecuted(), st.sender(),
          signature));
    } else if (m instanceof FetchBatch f) {
      return Optional.of(new FetchBatch(f.seqNo(), f.digest(), f.sender(), signature));
    } else if (m instanceof FetchedBatch f) {
      return Optional.of(new FetchedBatch(f.seqNo(), f.digest(), f.batch(), f.sender(),
          signature));
    } else if (m instanceof Request r) {
      return Optional.of(r.withSignature(signature));
    }
    return Optional.empty();
  }

  /** {@code m} (already altered, any signature) signed with the node's own key. */
  static ProtocolMessage sign(ProtocolMessage m, String clusterId, Authenticator auth) {
    if (!(m instanceof ReplicaMessage r)) {
      return m;
    }
    return withSignature(m, auth.sign(r.signedBytes(clusterId))).orElse(m);
  }
}
