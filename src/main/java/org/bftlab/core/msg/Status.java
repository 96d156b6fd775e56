package org.bftlab.core.msg;

import java.util.Arrays;
import java.util.Objects;
import org.bftlab.core.model.NodeId;

/**
 * STATUS ⟨v, h, e, i⟩: replica i is in view v, its last stable checkpoint is h, and it executed
 * every seqNo up to e. PBFT's implementation retransmits on the receiver's initiative (Castro's
 * thesis, MIT-LCS-TR-817, §5.2 "Message Retransmission"; TOCS'02 §5; paraphrased): a replica
 * periodically multicasts a small status message that summarises its state, and a replica that
 * receives one from a peer that is behind re-sends that peer the messages it is missing. Here a
 * replica multicasts it while it executes nothing (an idle cluster, or a replica that is stuck)
 * and once after a restart. It carries no vote and never counts toward any quorum: a
 * STATUS only makes a peer re-send messages that are verified on their own, or start a state
 * transfer whose response is verified against a checkpoint certificate.
 *
 * @param view v (>= 0)
 * @param stableSeqNo h (>= 0), a multiple of the checkpoint interval K
 * @param lastExecuted e (>= h)
 * @param sender i
 * @param signature over {@link #signedBytes(String)}
 */
public record Status(long view, long stableSeqNo, long lastExecuted, NodeId sender,
    byte[] signature) implements ReplicaMessage {

  public Status {
    if (view < 0 || stableSeqNo < 0 || lastExecuted < stableSeqNo) {
      throw new IllegalArgumentException("STATUS needs v >= 0 and 0 <= h <= e, got v=" + view
          + ", h=" + stableSeqNo + ", e=" + lastExecuted);
    }
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a STATUS. */
  public static Status sign(String clusterId, long view, long stableSeqNo, long lastExecuted,
      NodeId sender, Authenticator auth) {
    return new Status(view, stableSeqNo, lastExecuted, sender,
        auth.sign(bytes(clusterId, view, stableSeqNo, lastExecuted, sender)));
  }

  @Override
  public String type() {
    return "STATUS";
  }

  @Override
  public byte[] signedBytes(String clusterId) {
    return bytes(clusterId, view, stableSeqNo, lastExecuted, sender);
  }

  private static byte[] bytes(String clusterId, long v, long h, long e, NodeId i) {
    return Canonical.begin("STATUS", clusterId).i64(v).i64(h).i64(e).i32(i.index()).toBytes();
  }

  /** Value equality, the signature compared by content. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Status s && view == s.view && stableSeqNo == s.stableSeqNo
        && lastExecuted == s.lastExecuted && sender.equals(s.sender)
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(view, stableSeqNo, lastExecuted, sender)
        * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "STATUS(v=" + view + ", h=" + stableSeqNo + ", e=" + lastExecuted + ", from " + sender
        + ")";
  }
}
