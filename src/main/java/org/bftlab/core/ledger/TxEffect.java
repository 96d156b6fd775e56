package org.bftlab.core.ledger;

import java.util.Objects;

/**
 * What one transaction of a committed block does to the block-commit state, decided once when
 * the block is built and then only applied (replay never re-executes a contract).
 *
 * @param indexed true when the transaction's id enters the per-transaction index: its client's
 *     signature verified (VALID, MVCC_READ_CONFLICT, CONTRACT_REJECTED, or MALFORMED by the
 *     contract). A request that
 *     fails the stateless checks, or is a DUPLICATE_TXID, is not indexed, so a forged request
 *     cannot take the id of the client's genuine one.
 * @param writes the write set to apply; {@link WriteSet#EMPTY} unless VALID
 */
public record TxEffect(boolean indexed, WriteSet writes) {
  /** Nothing: not indexed, no writes. */
  public static final TxEffect NONE = new TxEffect(false, WriteSet.EMPTY);

  public TxEffect {
    Objects.requireNonNull(writes, "writes");
    if (!indexed && writes.size() > 0) {
      throw new IllegalArgumentException("an unindexed transaction cannot write");
    }
  }
}
