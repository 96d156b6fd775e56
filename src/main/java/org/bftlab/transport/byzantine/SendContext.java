package org.bftlab.transport.byzantine;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;

/**
 * What a {@link ByzantineStrategy} sees besides the message and its destination.
 *
 * @param self the Byzantine node (the sender of every message it rewrites)
 * @param clusterId the cluster id bound into signatures
 * @param nodes every replica, in index order
 * @param now the virtual time of the send, in ticks
 * @param random the node's seeded generator (the only source of randomness a strategy may use)
 * @param auth the node's own authenticator: what the strategy forges it signs with this key
 */
public record SendContext(NodeId self, String clusterId, List<NodeId> nodes, long now,
    RandomGenerator random, Authenticator auth) {
  public SendContext {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(clusterId, "clusterId");
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(auth, "auth");
  }
}
