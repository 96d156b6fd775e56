package org.bftlab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bftlab.core.Component;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.ContractCheck;
import org.bftlab.core.Event;
import org.bftlab.core.NodeRoute;

/**
 * One core component under the simulator: its in-memory {@link SimJournal} (which survives a
 * crash) and, while the node is up, its {@link ComponentRunner} — the driver the Pekko shell
 * uses too. A start rebuilds the runner from the journal (the snapshot, then the events after
 * it), compacting every {@code snapshotEvery} events as the shell does.
 *
 * @param <S> the component's state
 * @param <E> its event type
 */
final class SimComponent<S, E extends Event> implements ComponentRunner.Journal<E> {
  final NodeRoute.Kind kind;
  final Component<S, E> core;
  final SimJournal<E> journal = new SimJournal<>();
  private final int snapshotEvery;
  private final Function<Object, Object> fingerprint;
  private ComponentRunner<S, E> runner;
  /**
   * {@link org.bftlab.core.PlantedBug#SEND_BEFORE_PERSIST} (negative controls only): durable
   * events wait in {@link #unflushed} while the outputs go out; {@link #flush} writes them.
   */
  boolean sendBeforePersist;
  private final List<E> unflushed = new ArrayList<>();

  /**
   * @param fingerprint non-null: contract checks on ({@link ContractCheck})
   */
  SimComponent(NodeRoute.Kind kind, Component<S, E> core, int snapshotEvery,
      Function<Object, Object> fingerprint) {
    this.kind = kind;
    this.core = core;
    this.snapshotEvery = snapshotEvery;
    this.fingerprint = fingerprint;
  }

  /** The trace name of a component kind. */
  static String name(NodeRoute.Kind kind) {
    return switch (kind) {
      case ELECTION -> "election";
      case AGREEMENT -> "agreement";
      case BLOCK_COMMIT -> "block-commit";
    };
  }

  /** The runner while the node is up (null while it is down). */
  ComponentRunner<S, E> runner() {
    return runner;
  }

  /** The live state (null while the node is down). */
  S state() {
    return runner == null ? null : runner.state();
  }

  /** A fresh runner rebuilt from the journal; returns how many records were replayed. */
  int start() {
    runner = new ComponentRunner<>(core, this, snapshotEvery);
    if (fingerprint != null) {
      runner.check(new ContractCheck<>(fingerprint));
    }
    journal.replayInto(runner);
    return journal.size();
  }

  /** Crash: the in-memory state is gone; the journal stays. */
  void stop() {
    runner = null;
    unflushed.clear();
  }

  @Override
  public void append(List<E> events) {
    if (sendBeforePersist) {
      unflushed.addAll(events);
    } else {
      journal.append(events);
    }
  }

  @Override
  public void compacted(List<E> retained) {
    if (!sendBeforePersist) {
      journal.compacted(retained);
    }
  }

  /** Negative control only: the journal write of events already sent about completes now. */
  void flush(Consumer<E> persisted) {
    List<E> now = new ArrayList<>(unflushed);
    unflushed.clear();
    for (E e : now) {
      journal.append(e);
      persisted.accept(e);
    }
  }
}
