package org.bftlab.core.election;

import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.model.ProtocolParams;

/**
 * The leader-election component. In this version it keeps view 0 and its primary
 * (primary(0) = node-0, OSDI'99 §4.1) and announces the installed view to its siblings after a
 * restart; VIEW-CHANGE / NEW-VIEW (§4.4) come with the view-change work.
 */
public final class ElectionCore implements Component<ElectionState, ElectionEvent> {
  private final ProtocolParams params;

  /** @param params the cluster's protocol parameters (n, primary(v)) */
  public ElectionCore(ProtocolParams params) {
    this.params = params;
  }

  @Override
  public ElectionState initialState() {
    return new ElectionState();
  }

  @Override
  public Decision<ElectionEvent> decide(ElectionState state, Input input) {
    return Decision.none();
  }

  @Override
  public ElectionState apply(ElectionState state, ElectionEvent event) {
    if (event instanceof ElectionEvent.NewViewInstalled e) {
      state.install(e.view());
    }
    return state;
  }

  /** After a restart: tell agreement and block commit which view is installed. */
  @Override
  public Decision<ElectionEvent> recover(ElectionState state) {
    return Decision.<ElectionEvent>builder()
        .output(new Output.ToSibling(
            new Signal.ViewInstalled(state.view(), params.primary(state.view()))))
        .build();
  }
}
