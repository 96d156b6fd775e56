package org.bftlab.transport;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
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
   * One protocol message from a peer, CBOR on the wire. A multicast sends one envelope to every
   * peer, and the envelope keeps the bytes the {@link WireSerializer} wrote for the first of them,
   * so the message is serialised once per multicast, not once per destination (issue 9). Equal
   * when the messages are equal.
   */
  public static final class PeerEnvelope implements Command, CborSerializable {
    private final ProtocolMessage message;
    // the wire bytes, written at most once per envelope (a race only encodes twice); the array
    // is never handed out for writing: Artery copies it into its frame
    private transient volatile byte[] wire;

    /** @param message the message; its signature is checked by the receiving component */
    public PeerEnvelope(ProtocolMessage message) {
      this.message = message;
    }

    /** The message (null only for a decoding that produced none). */
    public ProtocolMessage message() {
      return message;
    }

    /** The wire bytes, encoded by {@code encode} at the first call and kept for later ones. */
    byte[] wire(Function<ProtocolMessage, byte[]> encode) {
      byte[] b = wire;
      if (b == null) {
        b = encode.apply(message);
        wire = b;
      }
      return b;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PeerEnvelope e && Objects.equals(e.message, message);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(message);
    }

    @Override
    public String toString() {
      return "PeerEnvelope[message=" + message + "]";
    }
  }

  /**
   * Several protocol messages from one peer in one Artery message, in the order they were sent
   * (issue 9: a replica relays every client request it accepts to every peer, so relays were
   * three of about four Artery messages per transaction; {@link PekkoTransport} bundles what
   * queued for a peer while its last send was being handed to Artery). On the wire a CBOR array
   * of the messages, each the bytes its {@link PeerEnvelope} was encoded to (a multicast's
   * message is still encoded once). Only small messages are bundled, at most the batch size of
   * them (see {@link PekkoTransport#bundles}), so a bundle never exceeds the frame that a full
   * PRE-PREPARE fits in.
   */
  public static final class PeerBundle implements Command, CborSerializable {
    private final List<PeerEnvelope> envelopes;

    /** @param envelopes two or more messages, in sending order */
    public PeerBundle(List<PeerEnvelope> envelopes) {
      if (envelopes.size() < 2) {
        throw new IllegalArgumentException("a bundle holds two or more messages, got "
            + envelopes.size());
      }
      this.envelopes = List.copyOf(envelopes);
    }

    /** The messages, in sending order. */
    public List<PeerEnvelope> envelopes() {
      return envelopes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PeerBundle b && b.envelopes.equals(envelopes);
    }

    @Override
    public int hashCode() {
      return envelopes.hashCode();
    }

    @Override
    public String toString() {
      return "PeerBundle" + envelopes;
    }
  }

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
        .onMessage(PeerBundle.class, bundle -> {
          for (PeerEnvelope env : bundle.envelopes()) {
            route.accept(env.message());
          }
          return Behaviors.same();
        })
        // counted and logged by the WireSerializer; dropped here, never routed
        .onMessage(UndecodablePeerMessage.class, u -> Behaviors.same())
        .build();
  }
}
