package org.bftlab.core.election;

import org.bftlab.core.Decision;
import org.bftlab.core.Output;

/**
 * One decision under construction: events are applied to a copy of the state as they are
 * emitted, so that later rules see them; the state passed to {@code decide} stays untouched.
 */
final class Step {
  private final ElectionState original;
  private ElectionState scratch;
  private final Decision.Builder<ElectionEvent> b = Decision.builder();

  Step(ElectionState original) {
    this.original = original;
  }

  ElectionState s() {
    return scratch != null ? scratch : original;
  }

  void emit(ElectionEvent e) {
    if (scratch == null) {
      scratch = original.copy();
    }
    scratch.apply(e);
    b.persist(e);
  }

  void out(Output o) {
    b.output(o);
  }

  Decision<ElectionEvent> build() {
    return b.build();
  }
}
