package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.NodeId;

/**
 * A state-transfer response: consecutive blocks from a peer, with the stable checkpoint
 * certificate (2f+1 CHECKPOINTs) they are checked against. The receiver never trusts the sender:
 * the blocks must hash-chain to the certified checkpoint digest.
 *
 * @param blocks consecutive blocks, lowest height first
 * @param checkpointProof 2f+1 matching CHECKPOINTs at or above the last block's height
 * @param sender the serving peer
 * @param signature over {@link #signedBytes(String)}
 */
public record StateResponse(List<Block> blocks, List<Checkpoint> checkpointProof, NodeId sender,
    byte[] signature) implements ReplicaMessage {

  public StateResponse {
    blocks = List.copyOf(Objects.requireNonNull(blocks, "blocks"));
    checkpointProof = List.copyOf(Objects.requireNonNull(checkpointProof, "checkpointProof"));
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(signature, "signature");
  }

  /** Builds and signs a response. */
  public static StateResponse sign(String clusterId, List<Block> blocks,
      List<Checkpoint> checkpointProof, NodeId sender, Authenticator auth) {
    StateResponse unsigned = new StateResponse(blocks, checkpointProof, sender, new byte[0]);
    return new StateResponse(blocks, checkpointProof, sender,
        auth.sign(unsigned.signedBytes(clusterId)));
  }

  @Override
  public String type() {
    return "STATE-RESPONSE";
  }

  /** Binds the sender and every block's hash and every checkpoint's signed content. */
  @Override
  public byte[] signedBytes(String clusterId) {
    Canonical c = Canonical.begin("STATE-RESPONSE", clusterId).i32(sender.index())
        .i32(blocks.size());
    for (Block b : blocks) {
      c.digest(b.hash());
    }
    c.i32(checkpointProof.size());
    for (Checkpoint cp : checkpointProof) {
      c.bytes(cp.signedBytes(clusterId));
    }
    return c.toBytes();
  }
}
