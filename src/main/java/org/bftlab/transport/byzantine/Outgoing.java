package org.bftlab.transport.byzantine;

import java.util.Objects;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * One message a Byzantine node actually sends.
 *
 * @param to the destination
 * @param message what is sent (the original, or a forgery)
 * @param delayTicks extra ticks before it leaves (>= 0), on top of the network's latency
 * @param note what the strategy did, for the trace ({@code null} when the message is unchanged)
 */
public record Outgoing(NodeId to, ProtocolMessage message, long delayTicks, String note) {
  public Outgoing {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(message, "message");
    if (delayTicks < 0) {
      throw new IllegalArgumentException("delay must be >= 0 ticks, got " + delayTicks);
    }
  }

  /** {@code message} to {@code to}, unchanged and without delay. */
  public static Outgoing unchanged(NodeId to, ProtocolMessage message) {
    return new Outgoing(to, message, 0, null);
  }

  /** {@code message} to {@code to} now, with a note saying what was done. */
  public static Outgoing forged(NodeId to, ProtocolMessage message, String note) {
    return new Outgoing(to, message, 0, note);
  }
}
