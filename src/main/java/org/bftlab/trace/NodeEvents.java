package org.bftlab.trace;

import java.util.List;
import org.bftlab.core.Event;
import org.bftlab.core.Signal;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;

/**
 * What a live node's shell reports as it runs (the same points the simulator traces): the live
 * trace ({@link LiveTrace}) and the Prometheus metrics ({@code org.bftlab.metrics.NodeMetrics})
 * observe the core's outputs and events here, never the core itself. Called on actor and HTTP
 * threads; an implementation must not block and must not throw.
 */
public interface NodeEvents {
  /** Observes nothing. */
  NodeEvents NONE = new NodeEvents() {};

  /**
   * A round's durable events are journaled (after the write, before its outputs are sent).
   *
   * @param component {@code election}, {@code agreement} or {@code block-commit}
   * @param events the round's durable events, in order
   * @param persistNanos how long the journal write took, in nanoseconds
   */
  default void persisted(String component, List<? extends Event> events, long persistNanos) {}

  /** A volatile event was applied (never journaled), e.g. a {@code Rejected} message. */
  default void applied(String component, Event event) {}

  /** A round was decided; {@code state} is the component's state (read it on this thread only). */
  default void roundDecided(String component, Object state) {}

  /** {@code message} leaves this node for {@code to}. */
  default void sent(NodeId to, ProtocolMessage message) {}

  /** {@code message} from the network is handed to {@code component}. */
  default void delivered(String component, ProtocolMessage message) {}

  /** A sibling signal is handed to {@code component}. */
  default void signalled(String component, Signal signal) {}

  /** A client request passed the gateway checks and is handed to the node. */
  default void submitted(Request request) {}

  /** Both {@code a} and {@code b}, in that order. */
  static NodeEvents both(NodeEvents a, NodeEvents b) {
    if (a == NONE) {
      return b;
    }
    if (b == NONE) {
      return a;
    }
    return new NodeEvents() {
      @Override
      public void persisted(String component, List<? extends Event> events, long persistNanos) {
        a.persisted(component, events, persistNanos);
        b.persisted(component, events, persistNanos);
      }

      @Override
      public void applied(String component, Event event) {
        a.applied(component, event);
        b.applied(component, event);
      }

      @Override
      public void roundDecided(String component, Object state) {
        a.roundDecided(component, state);
        b.roundDecided(component, state);
      }

      @Override
      public void sent(NodeId to, ProtocolMessage message) {
        a.sent(to, message);
        b.sent(to, message);
      }

      @Override
      public void delivered(String component, ProtocolMessage message) {
        a.delivered(component, message);
        b.delivered(component, message);
      }

      @Override
      public void signalled(String component, Signal signal) {
        a.signalled(component, signal);
        b.signalled(component, signal);
      }

      @Override
      public void submitted(Request request) {
        a.submitted(request);
        b.submitted(request);
      }
    };
  }
}
