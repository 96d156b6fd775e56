package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;

/**
 * REPLY ⟨v, t, c, i, r⟩ (OSDI'99 §4.1), extended with where the transaction landed: the block
 * height, its validation code and the contract's result. A client accepts an outcome once f+1
 * replicas sent matching (height, validationCode, result).
 *
 * @param view v in which the request was ordered
 * @param timestamp t, the request's client timestamp
 * @param client c
 * @param replica i, the replica that executed and signed this reply
 * @param txId the transaction id
 * @param blockHeight the height of the block that holds the transaction (>= 1)
 * @param validationCode e.g. {@code VALID}, {@code CONTRACT_REJECTED}
 * @param result r: the contract's result, or the reason it rejected; never null
 * @param signature replica i's signature over {@link #signedBytes(String)}
 */
public record Reply(long view, long timestamp, ClientId client, NodeId replica, String txId,
    long blockHeight, String validationCode, String result, byte[] signature) {

  public Reply {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(validationCode, "validationCode");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a REPLY. */
  public static Reply sign(String clusterId, long view, long timestamp, ClientId client,
      NodeId replica, String txId, long blockHeight, String validationCode, String result,
      Authenticator auth) {
    Reply unsigned = new Reply(view, timestamp, client, replica, txId, blockHeight, validationCode,
        result, new byte[0]);
    return new Reply(view, timestamp, client, replica, txId, blockHeight, validationCode, result,
        auth.sign(unsigned.signedBytes(clusterId)));
  }

  /** Canonical bytes the replica's signature covers. */
  public byte[] signedBytes(String clusterId) {
    return Canonical.begin("REPLY", clusterId).i64(view).i64(timestamp).str(client.value())
        .i32(replica.index()).str(txId).i64(blockHeight).str(validationCode).str(result).toBytes();
  }

  /** True when the signature is the replica's valid signature for this cluster. */
  public boolean verify(String clusterId, Authenticator auth) {
    return auth.verifyReplica(replica, signedBytes(clusterId), signature);
  }
}
