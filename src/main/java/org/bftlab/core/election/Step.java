package org.bftlab.core.election;

import org.bftlab.core.Decision;
import org.bftlab.core.Output;

/**
 * One election decision under construction: every emitted event ends a rule, so the runner
 * applies it at once ({@link Decision.Builder#settle()}) and the next rule reads the state it
 * produced through {@link #s()}.
 */
final class Step {
  private final ElectionState state;
  private final Decision.Builder<ElectionEvent> b;

  Step(ElectionState state, Decision.Builder<ElectionEvent> b) {
    this.state = state;
    this.b = b;
  }

  /** The state as the events emitted so far left it. */
  ElectionState s() {
    return state;
  }

  void emit(ElectionEvent e) {
    b.persist(e);
    b.settle();
  }

  void out(Output o) {
    b.output(o);
  }
}
