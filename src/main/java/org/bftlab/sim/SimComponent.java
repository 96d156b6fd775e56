package org.bftlab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.Output;

/**
 * One core component under the simulator: the same semantics as
 * {@code org.bftlab.node.ComponentActor} (the Pekko shell). For a decision, every event is
 * applied in order; the durable ones (not {@link Event.Volatile}) are appended to the journal;
 * only then are the outputs performed — persist before send. (The shell groups several inputs
 * into one journal write; per input the result is the same.) A start
 * replays the journal through {@code apply}; the caller then runs {@code recover()} through
 * {@link #run}, as the shell does on {@code RecoveryCompleted}.
 *
 * @param <S> the component's state
 * @param <E> its event type
 */
final class SimComponent<S, E extends Event> {
  final NodeRoute.Kind kind;
  final Component<S, E> core;
  final SimJournal<E> journal = new SimJournal<>();
  private S state;
  /**
   * {@link org.bftlab.core.PlantedBug#SEND_BEFORE_PERSIST} (negative controls only): durable
   * events wait in {@link #unflushed} while the outputs go out; {@link #flush} writes them.
   */
  boolean sendBeforePersist;
  private final List<E> unflushed = new ArrayList<>();

  SimComponent(NodeRoute.Kind kind, Component<S, E> core) {
    this.kind = kind;
    this.core = core;
  }

  /** The trace name of a component kind. */
  static String name(NodeRoute.Kind kind) {
    return switch (kind) {
      case ELECTION -> "election";
      case AGREEMENT -> "agreement";
      case BLOCK_COMMIT -> "block-commit";
    };
  }

  /** The live state (null while the node is down). */
  S state() {
    return state;
  }

  /** Fresh state, then every journaled event through {@code apply}; returns how many. */
  int start() {
    state = core.initialState();
    List<E> events = journal.events();
    for (E e : events) {
      state = core.apply(state, e);
    }
    return events.size();
  }

  /** Crash: the in-memory state is gone; the journal stays. */
  void stop() {
    state = null;
    unflushed.clear();
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

  /** {@code decide} on the live state. */
  Decision<E> decide(org.bftlab.core.Input input) {
    return core.decide(state, input);
  }

  /** {@code recover()} on the live state. */
  Decision<E> recover() {
    return core.recover(state);
  }

  /**
   * Carries out {@code decision} as the shell does and returns the outputs to perform.
   *
   * @param persisted told of each durable event once it is journaled and applied
   * @param applied told of each volatile event once applied
   */
  List<Output> run(Decision<E> decision, Consumer<E> persisted, Consumer<E> applied) {
    for (E e : decision.events()) {
      state = core.apply(state, e);
      if (e instanceof Event.Volatile) {
        applied.accept(e);
      } else if (sendBeforePersist) {
        unflushed.add(e);
      } else {
        journal.append(e);
        persisted.accept(e);
      }
    }
    return decision.outputs();
  }
}
