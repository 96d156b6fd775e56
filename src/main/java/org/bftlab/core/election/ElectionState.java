package org.bftlab.core.election;

/** The election component's state: the installed view. Mutated only by {@link ElectionCore#apply}. */
public final class ElectionState {
  private long view;

  /** The installed view v. */
  public long view() {
    return view;
  }

  void install(long newView) {
    this.view = newView;
  }
}
