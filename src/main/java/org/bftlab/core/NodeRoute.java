package org.bftlab.core;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
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
  }

  private NodeRoute() {}

  /**
   * The component that owns a network message.
   *
   * @throws IllegalArgumentException for a message type this table does not know
   */
  public static Kind forMessage(ProtocolMessage m) {
    if (m instanceof Checkpoint || m instanceof StateRequest || m instanceof StateResponse
        || m instanceof Status) {
      return Kind.BLOCK_COMMIT;
    }
    if (m instanceof ViewChange || m instanceof NewView) {
      return Kind.ELECTION;
    }
    if (m instanceof Request || m instanceof PrePrepare || m instanceof Prepare
        || m instanceof Commit) {
      return Kind.AGREEMENT;
    }
    throw new IllegalArgumentException("NodeRoute has no component for message type "
        + m.getClass().getName());
  }

  /**
   * The sibling components that receive a signal.
   *
   * @throws IllegalArgumentException for a signal type this table does not know
   */
  public static Set<Kind> forSignal(Signal s) {
    if (s instanceof Signal.BatchCommitted) {
      return EnumSet.of(Kind.BLOCK_COMMIT, Kind.ELECTION);
    }
    if (s instanceof Signal.CheckpointStable) {
      return EnumSet.of(Kind.AGREEMENT, Kind.ELECTION);
    }
    if (s instanceof Signal.ViewInstalled) {
      return EnumSet.of(Kind.AGREEMENT, Kind.BLOCK_COMMIT);
    }
    if (s instanceof Signal.RequestPending || s instanceof Signal.PreparedCertificatesCollected
        || s instanceof Signal.HigherViewSeen) {
      return EnumSet.of(Kind.ELECTION);
    }
    if (s instanceof Signal.ViewChangeRequested || s instanceof Signal.PeerBehind) {
      return EnumSet.of(Kind.AGREEMENT);
    }
    if (s instanceof Signal.StateTransferNeeded || s instanceof Signal.StateBehind) {
      return EnumSet.of(Kind.BLOCK_COMMIT);
    }
    throw new IllegalArgumentException("NodeRoute has no component for signal type "
        + s.getClass().getName());
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
      } else {
        throw new IllegalArgumentException("NodeRoute cannot route " + o);
      }
    }
  }
}
