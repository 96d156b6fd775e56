package org.bftlab.core;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.Status;
import org.bftlab.core.msg.ViewChange;

/**
 * Which component of a node receives what (DESIGN.md §2), and the one router of a node's outputs
 * ({@link #route}). One table, used by the Pekko guardian, the simulator and the test harnesses
 * (through {@link NodeRunner}), so that all wire the components the same way. A type it does not
 * know is a bug and fails loudly.
 */
public final class NodeRoute {
  /** The three protocol components of a node. */
  public enum Kind { ELECTION, AGREEMENT, BLOCK_COMMIT }

  /**
   * Where a node's outputs go: the network, and the node's own components. The simulator
   * schedules them, the Pekko guardian hands them to the transport and the component actors.
   */
  public interface Router {
    /** Send {@code message} to replica {@code to} (may be this replica). */
    void send(NodeId to, ProtocolMessage message);

    /** Send {@code message} to every replica except this one. */
    void multicast(ProtocolMessage message);

    /** Hand {@code signal} to this node's component {@code to}. */
    void signal(Kind to, Signal signal);

    /**
     * A block is durable and its transactions executed ({@link Output.Executed}): the shell
     * signs and indexes their REPLYs. Nothing to route in the simulator and the test harnesses.
     */
    default void executed(Output.Executed executed) {}
  }

  private NodeRoute() {}

  /**
   * A router over point-to-point links: a multicast is one {@code send} to every member but
   * {@code self}, in member order (the simulator and the test harnesses).
   */
  public static Router overLinks(NodeId self, List<NodeId> members,
      BiConsumer<NodeId, ProtocolMessage> send, BiConsumer<Kind, Signal> signal) {
    return new Router() {
      @Override
      public void send(NodeId to, ProtocolMessage message) {
        send.accept(to, message);
      }

      @Override
      public void multicast(ProtocolMessage message) {
        for (NodeId to : members) {
          if (!to.equals(self)) {
            send.accept(to, message);
          }
        }
      }

      @Override
      public void signal(Kind to, Signal s) {
        signal.accept(to, s);
      }
    };
  }

  /**
   * The component that owns a network message.
   *
   * @throws IllegalArgumentException for a message type this table does not know
   */
  public static Kind forMessage(ProtocolMessage m) {
    return forMessageType(m.getClass());
  }

  /** As {@link #forMessage}, by type (so that a test can walk every permitted subclass). */
  public static Kind forMessageType(Class<? extends ProtocolMessage> t) {
    if (Checkpoint.class == t || StateRequest.class == t || StateResponse.class == t
        || Status.class == t) {
      return Kind.BLOCK_COMMIT;
    }
    if (ViewChange.class == t || NewView.class == t) {
      return Kind.ELECTION;
    }
    if (Request.class == t || PrePrepare.class == t || Prepare.class == t || Commit.class == t
        || FetchBatch.class == t || FetchedBatch.class == t) {
      return Kind.AGREEMENT;
    }
    throw new IllegalArgumentException("NodeRoute has no component for message type "
        + t.getName());
  }

  /**
   * The sibling components that receive a signal.
   *
   * @throws IllegalArgumentException for a signal type this table does not know
   */
  public static Set<Kind> forSignal(Signal s) {
    return forSignalType(s.getClass());
  }

  /** As {@link #forSignal}, by type (so that a test can walk every permitted subclass). */
  public static Set<Kind> forSignalType(Class<? extends Signal> t) {
    if (Signal.BatchCommitted.class == t || Signal.RequestPending.class == t) {
      return EnumSet.of(Kind.BLOCK_COMMIT);
    }
    if (Signal.CheckpointStable.class == t) {
      return EnumSet.of(Kind.AGREEMENT, Kind.ELECTION);
    }
    if (Signal.ViewInstalled.class == t) {
      return EnumSet.of(Kind.AGREEMENT, Kind.BLOCK_COMMIT);
    }
    if (Signal.PeerInStep.class == t) {
      return EnumSet.of(Kind.ELECTION, Kind.AGREEMENT);
    }
    if (Signal.RequestAwaited.class == t || Signal.BatchExecuted.class == t
        || Signal.PreparedCertificatesCollected.class == t || Signal.HigherViewSeen.class == t) {
      return EnumSet.of(Kind.ELECTION);
    }
    if (Signal.ViewChangeRequested.class == t || Signal.PeerBehind.class == t) {
      return EnumSet.of(Kind.AGREEMENT);
    }
    if (Signal.StateTransferNeeded.class == t || Signal.StateBehind.class == t) {
      return EnumSet.of(Kind.BLOCK_COMMIT);
    }
    throw new IllegalArgumentException("NodeRoute has no component for signal type "
        + t.getName());
  }

  /** Routes {@code outputs}, in order: Send, Multicast, and ToSibling to every receiver. */
  public static void route(List<Output> outputs, Router router) {
    for (Output o : outputs) {
      if (o instanceof Output.Send s) {
        router.send(s.to(), s.message());
      } else if (o instanceof Output.Multicast m) {
        router.multicast(m.message());
      } else if (o instanceof Output.ToSibling t) {
        for (Kind k : forSignal(t.signal())) {
          router.signal(k, t.signal());
        }
      } else if (o instanceof Output.Executed e) {
        router.executed(e);
      } else {
        throw new IllegalArgumentException("NodeRoute cannot route " + o);
      }
    }
  }
}
