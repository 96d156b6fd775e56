package org.bftlab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

  /**
   * The content of a snapshot: the events that rebuild {@code state} on a fresh one, in order,
   * given the durable events {@code events} that rebuild it now. Default: those the component
   * {@link #retains}. A component may also replace a run of events by one that summarises them
   * (the block-commit component puts its chain's summary in place of its blocks).
   */
  default List<E> compact(S state, List<E> events) {
    List<E> kept = new ArrayList<>();
    for (E e : events) {
      if (retains(state, e)) {
        kept.add(e);
      }
    }
    return kept;
  }

  /**
   * Why the component must not run on {@code state} just recovered from its journal (its
   * durable data outside the journal is missing, e.g. a block store shorter than the chain's
   * head), or empty when it may. The shell then refuses to start, as for a journal that lost
   * its tail. Default: it may.
   */
  default Optional<String> recoveryError(S state) {
    return Optional.empty();
  }

  /** Outputs to perform after journal replay; events emitted are persisted first. */
  default void recover(S state, Decision.Builder<E> out) {}
}
