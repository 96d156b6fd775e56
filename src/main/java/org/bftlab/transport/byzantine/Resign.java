package org.bftlab.transport.byzantine;

import java.util.Optional;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;

/**
 * Replacing the signature of a message: with the node's own valid signature over the (altered)
 * content, or with arbitrary bytes. Covers PRE-PREPARE, PREPARE, COMMIT, CHECKPOINT, the state
 * transfer messages and forwarded REQUESTs (whose signature is the client's); VIEW-CHANGE and
 * NEW-VIEW are not rewritten here (their shape is still changing with the view change).
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
