package org.bftlab.core.msg;

import org.bftlab.core.model.NodeId;

/**
 * A message signed by a replica. Its signature covers {@link #signedBytes(String)}, which binds
 * the cluster id, the message type, the view and sequence number where the type has them, the
 * sender and the digest, so that a message cannot be replayed in another cluster, view or phase.
 */
public sealed interface ReplicaMessage extends ProtocolMessage
    permits PrePrepare, Prepare, Commit, Checkpoint, ViewChange, NewView, StateRequest,
        StateResponse, Status, FetchBatch, FetchedBatch {
  /** The replica that signed this message. */
  NodeId sender();

  /** Ed25519 signature (64 bytes) over {@link #signedBytes(String)}. */
  byte[] signature();

  /** The canonical bytes the signature covers, for the cluster {@code clusterId}. */
  byte[] signedBytes(String clusterId);

  /** True when the signature is the sender's valid signature for this cluster. */
  default boolean verify(String clusterId, Authenticator auth) {
    return auth.verifyReplica(sender(), signedBytes(clusterId), signature());
  }
}
