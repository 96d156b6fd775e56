package org.bftlab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The result of one step of a component: events to persist, then outputs to perform, in that
 * order (the {@code Ready} of etcd-io/raft). The events are already applied to the component's
 * state by its {@link ComponentRunner}; the outputs may leave the node only once the durable ones
 * among them are journaled (persist before send, DESIGN.md §1).
 *
 * @param events the events of the step in emission order (durable and {@link Event.Volatile})
 * @param outputs to perform after the durable events are journaled, in order
 * @param <E> the component's event type
 */
public record Decision<E>(List<E> events, List<Output> outputs) {
  public Decision {
    events = List.copyOf(events);
    outputs = List.copyOf(outputs);
  }

  /** Nothing to persist, nothing to send. */
  public static <E> Decision<E> none() {
    return new Decision<>(List.of(), List.of());
  }

  /** True when there is nothing to persist and nothing to send. */
  public boolean isEmpty() {
    return events.isEmpty() && outputs.isEmpty();
  }

  /**
   * Collects the events and outputs of one decision, in order. Built only by a {@link
   * ComponentRunner}: {@link #settle()} hands the events emitted since the last settle to the
   * runner, which applies them to the state, so that the next rule of the same decision reads
   * the state they produce. A rule itself never changes the state; it reads, emits, and ends.
   */
  public static final class Builder<E> {
    private final List<E> events = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();
    private final Consumer<E> apply;
    private int applied;

    /** @param apply applies one emitted event to the state the decision reads */
    Builder(Consumer<E> apply) {
      this.apply = Objects.requireNonNull(apply, "apply");
    }

    /** Emits {@code event}; it is applied at the next {@link #settle()} (or at the end). */
    public Builder<E> persist(E event) {
      events.add(Objects.requireNonNull(event, "event"));
      return this;
    }

    /** Adds {@code output}, performed after the decision's durable events are journaled. */
    public Builder<E> output(Output output) {
      outputs.add(Objects.requireNonNull(output, "output"));
      return this;
    }

    /**
     * Ends a rule: applies the events emitted since the last settle, in order, so that the
     * rules after it read the state they produce (no hand-passed would-be values, no copy).
     */
    public void settle() {
      while (applied < events.size()) {
        apply.accept(events.get(applied++));
      }
    }

    /** Events emitted so far and not yet applied. */
    int unsettled() {
      return events.size() - applied;
    }

    /** Settles and returns the decision. */
    Decision<E> build() {
      settle();
      return new Decision<>(events, outputs);
    }
  }
}
