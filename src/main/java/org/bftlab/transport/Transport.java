package org.bftlab.transport;

import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * Best-effort delivery of protocol messages to replicas: a message may be lost, delayed or
 * duplicated (PBFT assumes an asynchronous network, OSDI'99 §2); the protocol retransmits.
 * Implementations are thread-safe and never block.
 */
public interface Transport {
  /** Sends {@code message} to {@code to} (which may be this replica). Never throws for an unreachable peer. */
  void send(NodeId to, ProtocolMessage message);

  /** Sends {@code message} to every replica except this one. */
  void multicast(ProtocolMessage message);
}
