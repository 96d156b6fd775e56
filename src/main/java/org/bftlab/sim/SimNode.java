package org.bftlab.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.NodeRunner;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.election.ElectionCore;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.InMemoryBlockStore;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;

/**
 * One simulated node: its three components and its process state (up, paused, refused to start
 * on a corrupt journal). {@code epoch} grows at each crash, so sibling signals and held messages
 * of an earlier incarnation are discarded.
 */
final class SimNode {
  final NodeId id;
  /** The name in the trace: {@code node-2}, or {@code node-2'} for a twin instance. */
  final String label;
  /** Whether this instance is the twin (the second instance of a twinned node). */
  final boolean twin;
  /** Whether the node is Byzantine (its REPLYs do not count toward a client's f+1). */
  boolean byzantine;
  final Map<NodeRoute.Kind, SimComponent<?, ?>> components = new EnumMap<>(NodeRoute.Kind.class);
  /** The node's components and routing while it is up (null while down). */
  NodeRunner runner;
  boolean up;
  boolean paused;
  boolean keepWhilePaused;
  boolean refused;
  long epoch;
  /** The node's chain, which survives a crash with its journals and is lost with them. */
  final InMemoryBlockStore blocks = new InMemoryBlockStore();
  /** Deliveries that arrived while paused (when kept), in arrival order. */
  final List<Runnable> held = new ArrayList<>();

  /**
   * An instance of {@code id}; {@code twin} for the second instance of a twinned node; with
   * {@code bugs} planted: negative controls only (see {@link PlantedBug}).
   *
   * @param snapshotEvery each component compacts its journal every this many events (0: never)
   * @param fingerprint non-null: contract checks on (debug switch)
   */
  SimNode(ProtocolParams params, NodeId id, Authenticator auth, boolean twin,
      Set<PlantedBug> bugs, int snapshotEvery, Function<Object, Object> fingerprint) {
    this.id = id;
    this.twin = twin;
    this.label = twin ? id + "'" : id.toString();
    components.put(NodeRoute.Kind.ELECTION, new SimComponent<>(NodeRoute.Kind.ELECTION,
        bugs.isEmpty() ? election(params, id, auth) : new ElectionCore(params, id, auth, bugs),
        snapshotEvery, fingerprint));
    components.put(NodeRoute.Kind.AGREEMENT, new SimComponent<>(NodeRoute.Kind.AGREEMENT,
        bugs.isEmpty() ? new AgreementCore(params, id, auth)
            : new AgreementCore(params, id, auth, bugs), snapshotEvery, fingerprint));
    components.put(NodeRoute.Kind.BLOCK_COMMIT, new SimComponent<>(NodeRoute.Kind.BLOCK_COMMIT,
        new BlockCommitCore(params, id, auth, blocks), snapshotEvery, fingerprint));
    boolean sendFirst = bugs.contains(PlantedBug.SEND_BEFORE_PERSIST);
    components.values().forEach(c -> c.sendBeforePersist = sendFirst);
  }

  /**
   * The election component. The one place it is constructed: when the view change lands with a
   * new constructor (e.g. {@code new ElectionCore(params, self, auth)}), change this line only.
   */
  static ElectionCore election(ProtocolParams params, NodeId self, Authenticator auth) {
    return new ElectionCore(params, self, auth);
  }

  SimComponent<?, ?> component(NodeRoute.Kind kind) {
    return components.get(kind);
  }
}
