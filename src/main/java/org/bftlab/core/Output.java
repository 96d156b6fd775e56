package org.bftlab.core;

import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * What a component asks its shell to do once the decision's events are durable (persist before
 * send, DESIGN.md §1).
 */
public sealed interface Output {
  /** Send {@code message} to replica {@code to} (may be this replica itself). */
  record Send(NodeId to, ProtocolMessage message) implements Output {}

  /** Send {@code message} to every replica except this one. */
  record Multicast(ProtocolMessage message) implements Output {}

  /** Hand {@code signal} to the sibling components of this node. */
  record ToSibling(Signal signal) implements Output {}
}
