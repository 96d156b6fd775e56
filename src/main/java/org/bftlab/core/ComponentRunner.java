package org.bftlab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one driver of a {@link Component} (DESIGN.md §1), as etcd-io/raft's {@code RawNode} is
 * the one driver of its state machine: the Pekko shell, the simulator, the stepper and every test
 * harness step a component through it and nothing else. Pure: no clock, thread or I/O.
 *
 * <p>{@link #step} runs {@code decide} and applies each emitted event to the state when the
 * rule that emitted it ends ({@link Decision.Builder#settle()}), so later rules of the same
 * decision read the state the earlier ones produced. The durable events (not {@link
 * Event.Volatile}) of the step go to the {@link Journal} in one append, before the step returns
 * its outputs: the caller performs them only after that append is durable (persist before send).
 *
 * <p>Compaction (OSDI'99 §4.3 garbage collection): the runner keeps the durable events that
 * rebuild the state; {@link #compact()} drops those the component no longer {@link
 * Component#retains retains}. With {@code snapshotEvery > 0} the runner compacts on its own after
 * every append whose events reach a journal sequence number that is a multiple of
 * {@code snapshotEvery} — the rule of Pekko's {@code RetentionCriteria.snapshotEvery(n, 1)
 * .withDeleteEventsOnSnapshot()} — and hands the retained events to {@link
 * Journal#compacted}; the Pekko shell passes 0 and lets Pekko trigger {@link #compact()}.
 *
 * <p>Contract checks ({@link #check}, tests and the simulator's debug switch): a rule that
 * changes the state other than through its events, or a {@code decide} that gives a different
 * decision for the same state and input, throws {@link ContractViolation}.
 *
 * @param <S> the component's state
 * @param <E> its event type
 */
public final class ComponentRunner<S, E extends Event> {
  /**
   * Where a runner writes durable events. The simulator's in-memory journal, a test's list, or
   * the Pekko shell's round (which persists them with {@code Effect().persist}).
   *
   * @param <E> the event type
   */
  public interface Journal<E> {
    /** The durable events of one step, in order; one atomic write. */
    void append(List<E> events);

    /**
     * A snapshot: {@code retained} (in order) rebuilds the state, and everything journaled up to
     * now may be deleted. Default: keep everything.
     */
    default void compacted(List<E> retained) {}
  }

  /** A journal that keeps nothing (a component under a test that never restarts it). */
  public static <E> Journal<E> noJournal() {
    return events -> {};
  }

  private final Component<S, E> core;
  private final Journal<E> journal;
  private final int snapshotEvery;
  private S state;
  /** Durable events that rebuild the state (replayed or journaled), pruned by compact(). */
  private final List<E> retained = new ArrayList<>();
  /** Journal sequence number: durable events journaled or replayed since the very start. */
  private long seqNr;
  private ContractCheck<S, E> check;

  /**
   * A runner on a fresh state.
   *
   * @param core the component
   * @param journal receives the durable events of every step
   * @param snapshotEvery compact after an append that reaches a multiple of it; 0: never
   */
  public ComponentRunner(Component<S, E> core, Journal<E> journal, int snapshotEvery) {
    if (snapshotEvery < 0) {
      throw new IllegalArgumentException("snapshotEvery must be >= 0, got " + snapshotEvery);
    }
    this.core = Objects.requireNonNull(core, "core");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.snapshotEvery = snapshotEvery;
    this.state = core.initialState();
  }

  /** A runner that journals into {@code journal} and never compacts on its own. */
  public ComponentRunner(Component<S, E> core, Journal<E> journal) {
    this(core, journal, 0);
  }

  /**
   * Turns on the contract checks (tests, the simulator's debug switch): every rule must leave
   * the state as {@code fingerprint} saw it after the last applied event, and {@code decide}
   * run again on a twin state (kept in step by the same inputs) must give the same decision.
   *
   * @param check how to compare states and decisions
   * @return this runner
   */
  public ComponentRunner<S, E> check(ContractCheck<S, E> check) {
    this.check = check;
    if (check != null) {
      check.start(core, retained);
    }
    return this;
  }

  /** The component. */
  public Component<S, E> core() {
    return core;
  }

  /** The live state; changed only by this runner's apply. */
  public S state() {
    return state;
  }

  /** Durable events journaled or replayed since the very start (the journal sequence number). */
  public long seqNr() {
    return seqNr;
  }

  /** The durable events that rebuild the state now (a copy). */
  public List<E> retained() {
    return List.copyOf(retained);
  }

  /** Runs {@code decide} for {@code input}, journals the durable events, returns the step. */
  public Decision<E> step(Input input) {
    Objects.requireNonNull(input, "input");
    Decision.Builder<E> b = builder();
    core.decide(state, input, b);
    Decision<E> d = finish(b);
    if (check != null) {
      check.afterStep(state, input, d);
    }
    return d;
  }

  /** Runs {@code recover()} (once, after the journal is replayed), journals, returns the step. */
  public Decision<E> recover() {
    Decision.Builder<E> b = builder();
    core.recover(state, b);
    Decision<E> d = finish(b);
    if (check != null) {
      check.afterRecover(state, d);
    }
    return d;
  }

  /** Replays one journaled (durable) event on recovery; it is not journaled again. */
  public void replay(E event) {
    if (event instanceof Event.Volatile) {
      throw new IllegalArgumentException("a volatile event is never journaled: " + event);
    }
    apply(event);
    retained.add(event);
    seqNr++;
    if (check != null) {
      check.replayed(event);
    }
  }

  /**
   * Starts over from a snapshot: a fresh state rebuilt from {@code snapshot} (retained events,
   * in order) and {@code journalSeqNr} the sequence number the snapshot was taken at.
   */
  public void restore(List<E> snapshot, long journalSeqNr) {
    state = core.initialState();
    retained.clear();
    if (check != null) {
      check.start(core, List.of());
    }
    for (E e : snapshot) {
      replay(e);
    }
    seqNr = journalSeqNr;
  }

  /** Forgets every durable event: a fresh state (a restart of the journaled actor). */
  public void reset() {
    restore(List.of(), 0);
  }

  /**
   * Garbage collection: replaces the durable events by what {@link Component#compact} keeps of
   * them in the current state (those it still retains, or a summary) and returns them, in order
   * (the content of a snapshot).
   */
  public List<E> compact() {
    List<E> kept = core.compact(state, List.copyOf(retained));
    retained.clear();
    retained.addAll(kept);
    return List.copyOf(retained);
  }

  private Decision.Builder<E> builder() {
    if (check != null) {
      check.beforeRule(state);
    }
    return new Decision.Builder<>(e -> {
      if (check != null) {
        check.beforeApply(state, e);
      }
      apply(e);
      if (check != null) {
        check.afterApply(state);
      }
    });
  }

  private void apply(E e) {
    S next = core.apply(state, e);
    if (next != state) {
      throw new IllegalStateException(core.getClass().getSimpleName()
          + ".apply must change the state in place and return it");
    }
  }

  private Decision<E> finish(Decision.Builder<E> b) {
    Decision<E> d = b.build();
    if (check != null) {
      check.beforeApply(state, null);
    }
    List<E> durable = new ArrayList<>();
    for (E e : d.events()) {
      if (!(e instanceof Event.Volatile)) {
        durable.add(e);
      }
    }
    if (!durable.isEmpty()) {
      long before = seqNr;
      seqNr += durable.size();
      retained.addAll(durable);
      journal.append(List.copyOf(durable));
      if (snapshotEvery > 0 && seqNr / snapshotEvery != before / snapshotEvery) {
        journal.compacted(compact());
      }
    }
    return d;
  }
}
