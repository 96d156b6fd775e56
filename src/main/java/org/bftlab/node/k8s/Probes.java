package org.bftlab.node.k8s;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.bftlab.api.NodeFacade;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.crypto.Genesis;

/** Wires a running node's readiness ({@code GET /ready}) to its actors and Pekko cluster. */
public final class Probes {
  /** How long {@code GET /ready} waits for each peer's status. */
  public static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);

  private Probes() {}

  /**
   * {@code facade}, answering {@code readiness()} from a {@link ReadinessProbe}.
   *
   * @param recovered completed once every component of the node has replayed its journal
   */
  public static NodeFacade withReadiness(NodeFacade facade, Genesis genesis, NodeId self,
      ProtocolParams params, ActorSystem<?> system, CompletableFuture<?> recovered) {
    Cluster cluster = Cluster.get(system);
    ReadinessProbe probe = new ReadinessProbe(genesis, self, params.checkpointInterval(),
        facade::status,
        () -> recovered.isDone() && !recovered.isCompletedExceptionally(),
        () -> cluster.selfMember().status().toString(), PEER_TIMEOUT);
    return new ProbedNodeFacade(facade, probe);
  }
}
