package org.bftlab.transport;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.bftlab.codec.CborSerializable;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * A node's network entry point: registered with the cluster receptionist under
 * {@link #key(NodeId)}, it hands every protocol message from a peer to the component that owns
 * that message type. It checks nothing itself — components verify signatures.
 */
public final class NodeInbox {
  private NodeInbox() {}

  /** What peers send. */
  public interface Command {}

  /**
   * One protocol message from a peer, CBOR on the wire.
   *
   * @param message the message; its signature is checked by the receiving component
   */
  public record PeerEnvelope(ProtocolMessage message) implements Command, CborSerializable {}

  /** The receptionist key of {@code node}'s inbox. */
  public static ServiceKey<Command> key(NodeId node) {
    return ServiceKey.create(Command.class, "bftlab-inbox-" + node);
  }

  /** The inbox behavior; {@code route} dispatches a message to its component. */
  public static Behavior<Command> create(Consumer<ProtocolMessage> route) {
    return Behaviors.receive(Command.class)
        .onMessage(PeerEnvelope.class, env -> {
          if (env.message() != null) {
            route.accept(env.message());
          }
          return Behaviors.same();
        })
        .build();
  }
}
