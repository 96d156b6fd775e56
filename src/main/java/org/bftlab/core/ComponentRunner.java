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
 * Event.Volatile}) of the step go to the {@link Journal} in one append (unless the step is quiet,
 * below), before the step returns its outputs: the caller performs them only after that append
 * is durable (persist before send).
 *
 * <p><b>Quiet steps.</b> A step on a message from another replica or a tick whose decision has no
 * output (it sends nothing, signals no sibling, executes nothing) does not write: its durable
 * events wait, applied to the state, and go to the journal in front of the next step that
 * writes, in the same append, or at {@link #flush()}. Nothing has left the replica on their
 * account, so a crash that loses them is the same as a crash before their inputs arrived (lost
 * messages and ticks, which the protocol survives; Castro &amp; Liskov OSDI'99 §4 assumes an
 * asynchronous network). A step on a sibling's signal or a client's request, and recovery,
 * always write (a sibling journaled what it signals). Every output still follows the write of
 * every event decided before it (persist before send). Under load
 * many PREPAREs, COMMITs and CHECKPOINTs a replica receives arrive in quiet steps, so this saves
 * journal writes (each an fsync). At most {@link #MAX_QUIET} events wait; more are written.
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

  /** Most durable events of quiet steps that wait for the next write (see class doc). */
  public static final int MAX_QUIET = 1024;

  private final Component<S, E> core;
  private final Journal<E> journal;
  /** Durable events of quiet steps, applied and not yet handed to the journal. */
  private final List<E> quiet = new ArrayList<>();
  /** Whether quiet steps wait (see class doc); off: every step writes its durable events. */
  private boolean deferQuiet = true;
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

  /**
   * Whether the durable events of quiet steps (no outputs) wait for the next step that has
   * outputs (the default; see the class doc), or every step writes its own.
   *
   * @param defer true: quiet steps wait (default); false: every step writes
   * @return this runner
   */
  public ComponentRunner<S, E> deferQuiet(boolean defer) {
    if (!defer) {
      flush();
    }
    this.deferQuiet = defer;
    return this;
  }

  /**
   * Hands the durable events of quiet steps that still wait to the journal now, in one append
   * (the Pekko shell calls it at the end of every round that writes, so that a snapshot never
   * sees a state ahead of its journal).
   */
  public void flush() {
    if (!quiet.isEmpty()) {
      write(List.of());
    }
  }

  /** Durable events of quiet steps not yet handed to the journal (0 after a write). */
  public int waiting() {
    return quiet.size();
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
    Decision<E> d = finish(b, mayWait(input));
    if (check != null) {
      check.afterStep(state, input, d);
    }
    return d;
  }

  /** Runs {@code recover()} (once, after the journal is replayed), journals, returns the step. */
  public Decision<E> recover() {
    Decision.Builder<E> b = builder();
    core.recover(state, b);
    Decision<E> d = finish(b, false);
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
    quiet.clear();
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
   *
   * @throws IllegalStateException while quiet steps' events wait ({@link #flush()} first): the
   *     state is ahead of the journal, and a snapshot of it would hold them twice
   */
  public List<E> compact() {
    if (!quiet.isEmpty()) {
      throw new IllegalStateException(quiet.size() + " events of quiet steps are not journaled"
          + " yet; flush() before compact()");
    }
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

  /**
   * Whether a quiet step on {@code input} may leave its events waiting: only a message from
   * another replica or a tick, whose loss the protocol survives. A sibling's signal carries what
   * the sibling has journaled already (a stable checkpoint, an installed view): forgetting it
   * while the sibling remembers is not a lost message, so such a step writes at once.
   */
  private static boolean mayWait(Input input) {
    return input instanceof Input.Receive || input instanceof Input.Tick;
  }

  private Decision<E> finish(Decision.Builder<E> b, boolean mayWait) {
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
    if (deferQuiet && mayWait && d.outputs().isEmpty()
        && quiet.size() + durable.size() <= MAX_QUIET) {
      quiet.addAll(durable);
    } else if (!durable.isEmpty() || !quiet.isEmpty()) {
      write(durable);
    }
    return d;
  }

  /** Appends the waiting events of quiet steps, then {@code durable}, in one write. */
  private void write(List<E> durable) {
    List<E> events = new ArrayList<>(quiet.size() + durable.size());
    events.addAll(quiet);
    events.addAll(durable);
    quiet.clear();
    long before = seqNr;
    seqNr += events.size();
    retained.addAll(events);
    journal.append(List.copyOf(events));
    if (snapshotEvery > 0 && seqNr / snapshotEvery != before / snapshotEvery) {
      journal.compacted(compact());
    }
  }
}
