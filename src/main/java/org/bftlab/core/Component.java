package org.bftlab.core;

/**
 * An event-sourced, deterministic protocol component (DESIGN.md §1).
 *
 * <ul>
 *   <li>{@link #decide} reads the state and an input and returns events and outputs; it changes
 *       nothing.
 *   <li>{@link #apply} is the only place state changes. It never sends, logs or reads a clock.
 *       It may mutate {@code state} in place and return it (states are owned by one shell).
 *   <li>{@link #recover} is called once after the journal has been replayed; it returns outputs
 *       that re-establish what a crash may have cut short (e.g. re-deliver committed batches).
 * </ul>
 *
 * The Pekko shell maps {@code decide} to the command handler ({@code Effect().persist(events)
 * .thenRun(outputs)}) and {@code apply} to the event handler; the simulator drives the same
 * component with an in-memory journal.
 *
 * @param <S> state type
 * @param <E> event type
 */
public interface Component<S, E> {
  /** A fresh state for a replica that has never run. */
  S initialState();

  /** What should happen for {@code input} in {@code state}; never mutates {@code state}. */
  Decision<E> decide(S state, Input input);

  /** Applies one persisted event; the only state transition. */
  S apply(S state, E event);

  /**
   * Whether {@code event}, a durable event already applied to {@code state}, is still needed to
   * rebuild {@code state} from the journal. The shell keeps only retained events when it takes a
   * snapshot and deletes the journal below it, so that a long run's disk use stays bounded
   * (garbage collection at stable checkpoints, OSDI'99 §4.3). Default: everything is retained.
   */
  default boolean retains(S state, E event) {
    return true;
  }

  /** Outputs to perform after journal replay; events in the result are persisted first. */
  default Decision<E> recover(S state) {
    return Decision.none();
  }
}
