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
 *
 * <p><b>Bundles</b> (issue 9). Each peer has an outbox; a send queues the message and, unless
 * a drain of that outbox is already pending, hands one to the executor. The drain takes what
 * queued meanwhile, in order, and sends runs of small messages ({@link #bundles}: requests,
 * PREPAREs, COMMITs, CHECKPOINTs; at most {@code maxBundle} of them) as one {@link
 * NodeInbox.PeerBundle}, anything else alone. An idle node sends each message alone, one
 * executor hop later; a loaded one sends fewer, larger Artery messages (every accepted request
 * is relayed to every peer, so relays were three of about four Artery messages per transaction).
 * Order per peer is kept: one drain at a time, in queue order.
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
  /** Runs the outboxes' drains. */
  private final java.util.concurrent.Executor executor;
  /** Most messages in one bundle (the batch size: see {@link NodeInbox.PeerBundle}). */
  private final int maxBundle;
  private final Map<NodeId, Outbox> outboxes = new ConcurrentHashMap<>();

  /** One peer's queued messages; {@code draining} while a drain is pending or running. */
  private static final class Outbox {
    final java.util.concurrent.ConcurrentLinkedQueue<NodeInbox.PeerEnvelope> queue =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicBoolean draining =
        new java.util.concurrent.atomic.AtomicBoolean();
  }

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
    this(self, nodes, local, byAddress, Runnable::run, 1);
  }

  /**
   * @param self this node
   * @param nodes every replica of the cluster, self included
   * @param local delivers a message to this node's own components
   * @param byAddress each peer's inbox by its address (see above)
   * @param executor runs the outboxes' drains (the actor system's dispatcher); {@code
   *     Runnable::run} drains in the sender's thread
   * @param maxBundle most messages per bundle, >= 1 (1: never bundle); the batch size, so that
   *     a bundle fits the frame a full PRE-PREPARE fits in
   */
  public PekkoTransport(NodeId self, List<NodeId> nodes, Consumer<ProtocolMessage> local,
      Map<NodeId, ActorRef<NodeInbox.Command>> byAddress, java.util.concurrent.Executor executor,
      int maxBundle) {
    if (maxBundle < 1) {
      throw new IllegalArgumentException("maxBundle must be >= 1, got " + maxBundle);
    }
    this.self = self;
    this.nodes = List.copyOf(nodes);
    this.local = local;
    this.byAddress = Map.copyOf(byAddress);
    this.executor = executor;
    this.maxBundle = maxBundle;
  }

  /**
   * True for the messages that travel in bundles: those whose encoding is bounded by a request
   * slot of a PRE-PREPARE (a request, or a fixed-size vote), never a PRE-PREPARE, VIEW-CHANGE,
   * NEW-VIEW, state or batch transfer, which may fill a frame alone.
   */
  public static boolean bundles(ProtocolMessage m) {
    return m instanceof org.bftlab.core.msg.Request || m instanceof org.bftlab.core.msg.Prepare
        || m instanceof org.bftlab.core.msg.Commit || m instanceof org.bftlab.core.msg.Checkpoint;
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
    Outbox box = outboxes.computeIfAbsent(to, k -> new Outbox());
    box.queue.add(env);
    if (box.draining.compareAndSet(false, true)) {
      executor.execute(() -> drain(to, box));
    }
  }

  /** Sends what queued for {@code to}: runs of bundleable messages together, others alone. */
  private void drain(NodeId to, Outbox box) {
    while (true) {
      List<NodeInbox.PeerEnvelope> run = new java.util.ArrayList<>();
      NodeInbox.PeerEnvelope env;
      while ((env = box.queue.poll()) != null) {
        if (bundles(env.message()) && run.size() < maxBundle) {
          run.add(env);
          if (run.size() == maxBundle) {
            deliver(to, run);
            run = new java.util.ArrayList<>();
          }
        } else {
          deliver(to, run);
          run = new java.util.ArrayList<>();
          deliver(to, env);
        }
      }
      deliver(to, run);
      box.draining.set(false);
      // a send that queued after the last poll saw draining still set: drain again for it
      if (box.queue.isEmpty() || !box.draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void deliver(NodeId to, List<NodeInbox.PeerEnvelope> run) {
    if (run.size() == 1) {
      deliver(to, run.get(0));
    } else if (run.size() > 1) {
      deliver(to, new NodeInbox.PeerBundle(run));
    }
  }

  private void deliver(NodeId to, NodeInbox.Command env) {
    Set<ActorRef<NodeInbox.Command>> refs = peers.get(to);
    if (refs == null || refs.isEmpty()) {
      ActorRef<NodeInbox.Command> known = byAddress.get(to);
      if (known != null) {
        known.tell(env);
      } else {
        LOG.debug("{} not listed yet: dropped {}", to, env);
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
