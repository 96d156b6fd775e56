package org.bftlab.core.election;

import org.bftlab.core.Event;

/** Events of the election component, past tense. */
public sealed interface ElectionEvent extends Event {
  /** View {@code view} was installed (OSDI'99 §4.4: "NEW-VIEW"; view 0 needs none). */
  record NewViewInstalled(long view) implements ElectionEvent {
    public NewViewInstalled {
      if (view < 0) {
        throw new IllegalArgumentException("view must be >= 0, got " + view);
      }
    }
  }
}
