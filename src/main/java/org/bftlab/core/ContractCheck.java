package org.bftlab.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The contract of {@link Component} checked at run time (tests; the simulator's debug switch):
 *
 * <ul>
 *   <li>a rule of {@code decide} changes nothing: the state when its events are applied (and at
 *       the end of the decision) is the state the previous event left;
 *   <li>{@code decide} is deterministic: a twin runner, kept in step by the same inputs and
 *       replayed events, must reach the same decision and the same state.
 * </ul>
 *
 * States and decisions are compared through {@code fingerprint}, a value with {@code equals}
 * (the simulator's is a structural walk; the core cannot use reflection). A failure throws
 * {@link ContractViolation}.
 *
 * @param <S> the component's state
 * @param <E> its event type
 */
public final class ContractCheck<S, E extends Event> {
  private final Function<Object, Object> fingerprint;
  private ComponentRunner<S, E> twin;
  private Object expected;

  /** @param fingerprint a value equal for equal states (and decisions), unequal otherwise */
  public ContractCheck(Function<Object, Object> fingerprint) {
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  void start(Component<S, E> core, List<E> retained) {
    twin = new ComponentRunner<>(core, ComponentRunner.noJournal());
    retained.forEach(twin::replay);
  }

  void beforeRule(S state) {
    expected = fingerprint.apply(state);
  }

  void beforeApply(S state, E event) {
    if (!fingerprint.apply(state).equals(expected)) {
      throw new ContractViolation(state.getClass().getSimpleName() + " changed inside decide "
          + (event == null ? "after its last event" : "before " + event)
          + ": a rule changed the state other than through an event");
    }
  }

  void afterApply(S state) {
    expected = fingerprint.apply(state);
  }

  void replayed(E event) {
    twin.replay(event);
  }

  void afterStep(S state, Input input, Decision<E> d) {
    compare(state, d, twin.step(input), "decide(" + input + ")");
  }

  void afterRecover(S state, Decision<E> d) {
    compare(state, d, twin.recover(), "recover()");
  }

  private void compare(S state, Decision<E> d, Decision<E> again, String what) {
    if (!fingerprint.apply(d).equals(fingerprint.apply(again))) {
      throw new ContractViolation(what + " is not deterministic: " + d + " then " + again);
    }
    if (!fingerprint.apply(state).equals(fingerprint.apply(twin.state()))) {
      throw new ContractViolation(what + " left two equal states unequal");
    }
  }
}
