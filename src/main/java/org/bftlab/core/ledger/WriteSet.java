package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The writes one transaction makes, in order; applied atomically and only when the transaction
 * is VALID. A later write to the same key overrides an earlier one.
 *
 * @param writes puts and deletes in execution order
 */
public record WriteSet(List<Write> writes) {
  /** No writes (every invalid transaction, and read-only calls). */
  public static final WriteSet EMPTY = new WriteSet(List.of());

  public WriteSet {
    writes = List.copyOf(writes);
  }

  /** A write set of the given writes. */
  public static WriteSet of(Write... writes) {
    return new WriteSet(List.of(writes));
  }

  /** Number of writes. */
  public int size() {
    return writes.size();
  }

  /** This write set followed by {@code other}'s writes. */
  public WriteSet concat(WriteSet other) {
    List<Write> all = new ArrayList<>(writes);
    all.addAll(other.writes);
    return new WriteSet(all);
  }
}
