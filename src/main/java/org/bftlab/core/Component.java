package org.bftlab.core;

/**
 * An event-sourced, deterministic protocol component (DESIGN.md §1), driven by a {@link
 * ComponentRunner} everywhere (the Pekko shell, the simulator, every test harness).
 *
 * <ul>
 *   <li>{@link #decide} reads the state and an input and emits events and outputs into a
 *       {@link Decision.Builder}. It never changes the state itself: a decision is a sequence of
 *       rules, and {@link Decision.Builder#settle()} between two rules has the runner apply the
 *       events emitted so far, so that the next rule reads the state they produce. The same
 *       state and input always give the same decision.
 *   <li>{@link #apply} is the only place state changes. It never sends, logs or reads a clock.
 *       It mutates {@code state} in place and returns that same instance.
 *   <li>{@link #recover} is called once after the journal has been replayed; it emits outputs
 *       that re-establish what a crash may have cut short (e.g. re-deliver committed batches).
 * </ul>
 *
 * @param <S> state type
 * @param <E> event type
 */
public interface Component<S, E> {
  /** A fresh state for a replica that has never run. */
  S initialState();

  /** What should happen for {@code input} in {@code state}, emitted into {@code out}. */
  void decide(S state, Input input, Decision.Builder<E> out);

  /** Applies one event; the only state transition; returns {@code state} itself. */
  S apply(S state, E event);

  /**
   * Whether {@code event}, a durable event already applied to {@code state}, is still needed to
   * rebuild {@code state} from the journal. The runner keeps only retained events when it
   * compacts (a snapshot, and the journal below it deleted), so that a long run's disk use stays
   * bounded (garbage collection at stable checkpoints, OSDI'99 §4.3). Default: everything.
   */
  default boolean retains(S state, E event) {
    return true;
  }

  /** Outputs to perform after journal replay; events emitted are persisted first. */
  default void recover(S state, Decision.Builder<E> out) {}
}
