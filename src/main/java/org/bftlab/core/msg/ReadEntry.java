package org.bftlab.core.msg;

import java.util.Objects;

/**
 * One entry of a transaction's read set (Hyperledger Fabric's {@code KVRead}): a world-state key
 * the client read before it built the transaction, and the version it saw. At block commit the
 * transaction is {@link ValidationCode#MVCC_READ_CONFLICT} when the key's version as of that
 * transaction (earlier transactions of the same block included) differs.
 *
 * <p>A version is the (block height, transaction index) that last wrote the key, as the world
 * state keeps it; {@code (0, 0)} ({@link #absent}) says the key was absent when read, so the
 * transaction conflicts with anything that created it since.
 *
 * @param contract the contract namespace, e.g. {@code token}; non-empty
 * @param key the key within that namespace; non-empty
 * @param blockHeight the version's block height (>= 1), or 0 for an absent key
 * @param txIndex the version's transaction index (>= 0); 0 for an absent key
 */
public record ReadEntry(String contract, String key, long blockHeight, int txIndex) {
  public ReadEntry {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(key, "key");
    if (contract.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException("a read names a contract and a key, got '" + contract
          + "'/'" + key + "'");
    }
    if (blockHeight < 0 || txIndex < 0 || (blockHeight == 0 && txIndex != 0)) {
      throw new IllegalArgumentException("bad read version (" + blockHeight + ", " + txIndex
          + ") of " + contract + "/" + key + ": height >= 1 and index >= 0, or (0, 0) for absent");
    }
  }

  /** A read of {@code contract/key} that found no entry. */
  public static ReadEntry absent(String contract, String key) {
    return new ReadEntry(contract, key, 0, 0);
  }

  /** True when the key was absent when read. */
  public boolean readAbsent() {
    return blockHeight == 0;
  }

  /** {@code contract/key@height.index}, or {@code contract/key@absent}. */
  @Override
  public String toString() {
    return contract + "/" + key + "@" + (readAbsent() ? "absent" : blockHeight + "." + txIndex);
  }
}
