package org.bftlab.core.ledger;

/**
 * The version of a world-state entry: the (block height, transaction index) that last wrote it,
 * as in Fabric's versioned key-value store.
 *
 * @param blockHeight height of the block (>= 1)
 * @param txIndex index of the transaction within the block (>= 0)
 */
public record Version(long blockHeight, int txIndex) {
  public Version {
    if (blockHeight < 1 || txIndex < 0) {
      throw new IllegalArgumentException("bad version (" + blockHeight + ", " + txIndex + ")");
    }
  }
}
