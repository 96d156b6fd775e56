package org.bftlab.core.ledger;

import java.util.Optional;

/**
 * A read-only view of the world state, as a contract sees it while it executes. Implemented by
 * {@link WorldState} (the committed state) and by {@link PendingState} (the committed state plus
 * the writes of the earlier transactions of the block being built).
 */
public interface StateView {
  /**
   * The current value of {@code contract/key}.
   *
   * @return empty when the key is absent or was deleted
   */
  Optional<String> value(String contract, String key);

  /**
   * The version of {@code contract/key}: the (block height, transaction index) that last wrote
   * it, as MVCC validation compares it with a transaction's read set.
   *
   * @return empty when the key is absent or was deleted
   */
  Optional<Version> version(String contract, String key);
}
