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
  /** key → value after the pending writes; an empty Optional marks a pending delete. */
  private final Map<StateKey, Optional<String>> overlay = new HashMap<>();

  /** An overlay over {@code base} with no pending writes. */
  public PendingState(StateView base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  @Override
  public Optional<String> value(String contract, String key) {
    Optional<String> pending = overlay.get(new StateKey(contract, key));
    return pending != null ? pending : base.value(contract, key);
  }

  /** Records {@code writes} as pending, in order. */
  public void stage(WriteSet writes) {
    for (Write w : writes.writes()) {
      overlay.put(w.stateKey(),
          w.kind() == Write.Kind.PUT ? Optional.of(w.value()) : Optional.empty());
    }
  }
}
