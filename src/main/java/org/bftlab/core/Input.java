package org.bftlab.core;

import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;

/**
 * What a component's {@code decide} is fed (DESIGN.md §1): a message from the network, a
 * request submitted at this node, a signal from a sibling component, or one tick of time.
 * A component ignores inputs it has no rule for.
 */
public sealed interface Input {
  /** A protocol message delivered by the transport; its signature is not yet checked. */
  record Receive(ProtocolMessage message) implements Input {}

  /** A client request submitted at this node's gateway (already checked by the gateway). */
  record Submit(Request request) implements Input {}

  /** A signal from a sibling component of the same node. */
  record FromSibling(Signal signal) implements Input {}

  /** One tick of logical time; timeouts are counted in ticks. */
  record Tick() implements Input {}

  /** The one tick instance. */
  Tick TICK = new Tick();
}
