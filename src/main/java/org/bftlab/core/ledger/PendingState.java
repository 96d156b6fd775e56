package org.bftlab.core.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The committed world state overlaid with the writes of the transactions already executed in
 * the block being built, so that execution is sequential: a later transaction of a block sees
 * an earlier one's writes (and cannot spend the same funds twice). Never changes the underlying
 * state; used inside {@code decide}.
 */
public final class PendingState implements StateView {
  private final StateView base;
  /** key → entry after the pending writes; an empty Optional marks a pending delete. */
  private final Map<StateKey, Optional<StateEntry>> overlay = new HashMap<>();

  /** An overlay over {@code base} with no pending writes. */
  public PendingState(StateView base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  @Override
  public Optional<String> value(String contract, String key) {
    Optional<StateEntry> pending = overlay.get(new StateKey(contract, key));
    return pending != null ? pending.map(StateEntry::value) : base.value(contract, key);
  }

  @Override
  public Optional<Version> version(String contract, String key) {
    Optional<StateEntry> pending = overlay.get(new StateKey(contract, key));
    return pending != null ? pending.map(StateEntry::version) : base.version(contract, key);
  }

  /**
   * Records {@code writes} as pending, in order, each put at {@code version} (the writing
   * transaction's (height, index), as {@link WorldState#apply} will store it).
   */
  public void stage(WriteSet writes, Version version) {
    for (Write w : writes.writes()) {
      overlay.put(w.stateKey(), w.kind() == Write.Kind.PUT
          ? Optional.of(new StateEntry(w.contract(), w.key(), w.value(), version))
          : Optional.empty());
    }
  }
}
