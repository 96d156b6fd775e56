package org.bftlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@code decide}: events to persist, then outputs to perform, in that order
 * (the {@code Ready} of etcd-io/raft). A decision changes nothing by itself.
 *
 * @param events to persist atomically, in order, before any output is performed
 * @param outputs to perform after the events are durable, in order
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

  /** A mutable builder. */
  public static <E> Builder<E> builder() {
    return new Builder<>();
  }

  /** Collects events and outputs in order. */
  public static final class Builder<E> {
    private final List<E> events = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    public Builder<E> persist(E event) {
      events.add(event);
      return this;
    }

    public Builder<E> output(Output output) {
      outputs.add(output);
      return this;
    }

    public Decision<E> build() {
      return new Decision<>(events, outputs);
    }
  }
}
