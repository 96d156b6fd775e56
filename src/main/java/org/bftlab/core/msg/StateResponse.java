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

  /** CBOR bytes a request may take beyond its canonical size (as {@code codec.WireLimits}). */
  public static final int PER_REQUEST_WIRE_OVERHEAD = 256;
  /** CBOR bytes allowed for a block's header and framing. */
  public static final int PER_BLOCK_WIRE_OVERHEAD = 512;

  /**
   * Bytes the blocks of one STATE-RESPONSE may take on the wire, as counted by {@link
   * #wireBytes}: what one full block may take, {@code batchSize × (maxRequestBytes + 256 + 3 ×}
   * {@link BlockEntry#MAX_RESULT_LENGTH}{@code )}, which the Artery frame ({@code
   * codec.WireLimits}) holds with room for the message's own fields. A response holds blocks up
   * to this budget, or one block.
   */
  public static long budget(int batchSize, int maxRequestBytes) {
    return (long) batchSize * (maxRequestBytes + PER_REQUEST_WIRE_OVERHEAD
        + 3L * BlockEntry.MAX_RESULT_LENGTH);
  }

  /** An upper bound of {@code b}'s CBOR size, bytes (results counted at 3 bytes a char). */
  public static long wireBytes(Block b) {
    long n = PER_BLOCK_WIRE_OVERHEAD;
    for (BlockEntry e : b.entries()) {
      n += e.transaction().canonicalSize() + PER_REQUEST_WIRE_OVERHEAD
          + 3L * (e.result() == null ? 0 : e.result().length());
    }
    return n;
  }
}
