package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.Digest;

/**
 * A block header. Block height equals the PBFT sequence number that ordered the block's batch
 * (a null request gives an empty block), so every correct replica builds the same header for the
 * same height. The view is deliberately not part of the header: replicas may commit the same
 * batch in different views (OSDI'99 §4.4) and must still build identical blocks.
 *
 * @param height block height (>= 1)
 * @param previousHash hash of the header at height - 1; {@link Digest#ZERO} for height 1
 * @param merkleRoot Merkle root of the transactions' digests ({@code core.msg.MerkleTree})
 * @param resultsDigest digest of every transaction's validation code and result, in order
 * @param txCount number of transactions in the block
 */
public record BlockHeader(long height, Digest previousHash, Digest merkleRoot,
    Digest resultsDigest, int txCount) {

  public BlockHeader {
    if (height < 1) {
      throw new IllegalArgumentException("block height must be >= 1, got " + height);
    }
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(merkleRoot, "merkleRoot");
    Objects.requireNonNull(resultsDigest, "resultsDigest");
    if (txCount < 0) {
      throw new IllegalArgumentException("txCount must be >= 0, got " + txCount);
    }
  }

  /** The block hash: SHA-256 of the header's canonical bytes. */
  public Digest hash() {
    return Digest.sha256(Canonical.bare("BLOCK-HEADER").i64(height).digest(previousHash)
        .digest(merkleRoot).digest(resultsDigest).i32(txCount).toBytes());
  }
}
