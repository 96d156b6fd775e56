package org.bftlab.core;

import java.util.EnumSet;
import java.util.Set;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.Status;
import org.bftlab.core.msg.ViewChange;

/**
 * Which component of a node receives what (DESIGN.md §2). One table, used by the Pekko guardian
 * and by the simulator, so that both wire the components the same way.
 */
public final class NodeRoute {
  /** The three protocol components of a node. */
  public enum Kind { ELECTION, AGREEMENT, BLOCK_COMMIT }

  private NodeRoute() {}

  /** The component that owns a network message. */
  public static Kind forMessage(ProtocolMessage m) {
    if (m instanceof Checkpoint || m instanceof StateRequest || m instanceof StateResponse
        || m instanceof Status) {
      return Kind.BLOCK_COMMIT;
    }
    if (m instanceof ViewChange || m instanceof NewView) {
      return Kind.ELECTION;
    }
    return Kind.AGREEMENT;  // REQUEST, PRE-PREPARE, PREPARE, COMMIT
  }

  /** The sibling components that receive a signal. */
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
        || s instanceof Signal.HigherViewSeen || s instanceof Signal.PeerInStep) {
      return EnumSet.of(Kind.ELECTION);
    }
    if (s instanceof Signal.ViewChangeRequested || s instanceof Signal.PeerBehind) {
      return EnumSet.of(Kind.AGREEMENT);
    }
    if (s instanceof Signal.StateTransferNeeded || s instanceof Signal.StateBehind) {
      return EnumSet.of(Kind.BLOCK_COMMIT);
    }
    return EnumSet.noneOf(Kind.class);
  }
}
