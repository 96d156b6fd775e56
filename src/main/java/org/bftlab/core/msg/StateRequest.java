package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.NodeId;

/**
 * A state-transfer request (OSDI'99 §4.3, TOCS'02 §5.3): replica i asks a peer for the blocks at
 * heights {@code fromHeight..toHeight}, which it will accept only if they match a stable
 * checkpoint certificate (2f+1 CHECKPOINTs).
 *
 * @param fromHeight first height wanted (>= 1)
 * @param toHeight last height wanted (>= fromHeight)
 * @param sender i
 * @param signature over {@link #signedBytes(String)}
 */
public record StateRequest(long fromHeight, long toHeight, NodeId sender, byte[] signature)
    implements ReplicaMessage {

  public StateRequest {
    if (fromHeight < 1 || toHeight < fromHeight) {
      throw new IllegalArgumentException("bad height range " + fromHeight + ".." + toHeight);
    }
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a request. */
  public static StateRequest sign(String clusterId, long fromHeight, long toHeight, NodeId sender,
      Authenticator auth) {
    byte[] sig = auth.sign(Canonical.begin("STATE-REQUEST", clusterId).i64(fromHeight)
        .i64(toHeight).i32(sender.index()).toBytes());
    return new StateRequest(fromHeight, toHeight, sender, sig);
  }

  @Override
  public String type() {
    return "STATE-REQUEST";
  }

  @Override
  public byte[] signedBytes(String clusterId) {
    return Canonical.begin("STATE-REQUEST", clusterId).i64(fromHeight).i64(toHeight)
        .i32(sender.index()).toBytes();
  }
}
