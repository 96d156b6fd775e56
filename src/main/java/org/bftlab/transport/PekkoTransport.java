package org.bftlab.transport;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over a Pekko cluster: peers' inboxes are found through the receptionist
 * ({@link NodeInbox#key(NodeId)}); a message to a peer neither listed nor known by its address
 * is dropped, which PBFT's retransmission covers. Messages to this node go straight to its own
 * router.
 *
 * <p>A peer the failure detector marks unreachable stays a destination: its inbox is still
 * listed among the receptionist's <em>all</em> service instances (nothing downs a member, issue
 * 7), and Artery delivers what it queued once the connection is back. Sending only to the
 * reachable instances dropped every message to a peer for as long as a heartbeat came late — on
 * a loaded machine, or while a healed link reconnects — among them a NEW-VIEW (NetworkPartitionIT
 * saw a replica left in its view change) and the relay of a client request the primary had
 * just accepted. {@link #reachablePeers()} still reports reachability.
 *
 * <p>Before the receptionist lists a peer — its listing takes seconds to arrive after a start —
 * a message goes to the peer's inbox by its address when one is known ({@code byAddress}, from
 * the genesis file): dropping them made a freshly started cluster lose the relays of the first
 * client requests to its primary and change views for nothing.
 */
public final class PekkoTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(PekkoTransport.class);

  private final NodeId self;
  private final List<NodeId> nodes;
  private final Consumer<ProtocolMessage> local;
  /** Every listed inbox of each peer, reachable or not: the destinations. */
  private final Map<NodeId, Set<ActorRef<NodeInbox.Command>>> peers = new ConcurrentHashMap<>();
  /** Each peer's inbox by its address, for peers the receptionist does not list (yet). */
  private final Map<NodeId, ActorRef<NodeInbox.Command>> byAddress;
  /** Peers with an inbox the failure detector deems reachable: reported only. */
  private final Set<NodeId> reachable = ConcurrentHashMap.newKeySet();

  /**
   * @param self this node
   * @param nodes every replica of the cluster, self included
   * @param local delivers a message to this node's own components
   */
  public PekkoTransport(NodeId self, List<NodeId> nodes, Consumer<ProtocolMessage> local) {
    this(self, nodes, local, Map.of());
  }

  /**
   * @param self this node
   * @param nodes every replica of the cluster, self included
   * @param local delivers a message to this node's own components
   * @param byAddress each peer's inbox by its address, used while the receptionist does not list
   *     the peer (empty: such messages are dropped)
   */
  public PekkoTransport(NodeId self, List<NodeId> nodes, Consumer<ProtocolMessage> local,
      Map<NodeId, ActorRef<NodeInbox.Command>> byAddress) {
    this.self = self;
    this.nodes = List.copyOf(nodes);
    this.local = local;
    this.byAddress = Map.copyOf(byAddress);
  }

  @Override
  public void send(NodeId to, ProtocolMessage message) {
    if (to.equals(self)) {
      local.accept(message);
      return;
    }
    send(to, new NodeInbox.PeerEnvelope(message));
  }

  private void send(NodeId to, NodeInbox.PeerEnvelope env) {
    Set<ActorRef<NodeInbox.Command>> refs = peers.get(to);
    if (refs == null || refs.isEmpty()) {
      ActorRef<NodeInbox.Command> known = byAddress.get(to);
      if (known != null) {
        known.tell(env);
      } else {
        LOG.debug("{} not listed yet: dropped {}", to, env.message().type());
      }
      return;
    }
    for (ActorRef<NodeInbox.Command> ref : refs) {
      ref.tell(env);
    }
  }

  /** One envelope for every peer, so the message is serialised once (see {@link NodeInbox}). */
  @Override
  public void multicast(ProtocolMessage message) {
    NodeInbox.PeerEnvelope env = new NodeInbox.PeerEnvelope(message);
    for (NodeId n : nodes) {
      if (!n.equals(self)) {
        send(n, env);
      }
    }
  }

  /** Peers the receptionist lists with a reachable inbox (self excluded), sorted. */
  public Set<NodeId> reachablePeers() {
    return new TreeSet<>(reachable);
  }

  /** An actor that subscribes to every peer's receptionist key and keeps the directory current. */
  public Behavior<Receptionist.Listing> directory() {
    return Behaviors.setup(ctx -> {
      for (NodeId n : nodes) {
        if (!n.equals(self)) {
          ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeInbox.key(n), ctx.getSelf()));
        }
      }
      return Behaviors.receive(Receptionist.Listing.class)
          .onMessage(Receptionist.Listing.class, listing -> {
            for (NodeId n : nodes) {
              if (listing.isForKey(NodeInbox.key(n))) {
                Set<ActorRef<NodeInbox.Command>> all =
                    Set.copyOf(listing.getAllServiceInstances(NodeInbox.key(n)));
                boolean up = !listing.getServiceInstances(NodeInbox.key(n)).isEmpty();
                peers.put(n, all);
                if (up) {
                  reachable.add(n);
                } else {
                  reachable.remove(n);
                }
                LOG.info("peer {} {}", n, all.isEmpty() ? "left"
                    : up ? "reachable" : "unreachable (still sent to)");
              }
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
