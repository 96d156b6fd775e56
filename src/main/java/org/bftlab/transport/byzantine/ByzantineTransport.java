package org.bftlab.transport.byzantine;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.transport.Transport;
import org.bftlab.transport.fault.TickScheduler;

/**
 * A {@link Transport} decorator that makes a live node Byzantine: every message it sends to
 * another replica goes through a {@link ByzantineStrategy} first; delayed outputs go through the
 * {@link TickScheduler}. Messages to itself are untouched. Thread-safe (rewrites are serialized).
 */
public final class ByzantineTransport implements Transport {
  private final Transport delegate;
  private final NodeId self;
  private final String clusterId;
  private final List<NodeId> nodes;
  private final Authenticator auth;
  private final ByzantineStrategy strategy;
  private final TickScheduler scheduler;
  private final SplittableRandom random;

  /**
   * @param delegate the real transport (possibly a {@code FaultyTransport})
   * @param self this replica
   * @param clusterId the cluster id signatures bind
   * @param nodes every replica, in index order
   * @param auth this replica's authenticator (its private key)
   * @param spec the misbehaviour
   * @param scheduler the clock and delayed execution, in ticks
   * @param seed seeds the strategy's generator
   */
  public ByzantineTransport(Transport delegate, NodeId self, String clusterId, List<NodeId> nodes,
      Authenticator auth, ByzantineSpec spec, TickScheduler scheduler, long seed) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.self = Objects.requireNonNull(self, "self");
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    this.nodes = List.copyOf(nodes);
    this.auth = Objects.requireNonNull(auth, "auth");
    this.strategy = spec.strategy();
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void send(NodeId to, ProtocolMessage message) {
    if (to.equals(self)) {
      delegate.send(to, message);
      return;
    }
    List<Outgoing> out;
    synchronized (this) {
      out = strategy.rewrite(to, message,
          new SendContext(self, clusterId, nodes, scheduler.nowTicks(), random, auth));
    }
    for (Outgoing o : out) {
      if (o.delayTicks() == 0) {
        delegate.send(o.to(), o.message());
      } else {
        scheduler.schedule(o.delayTicks(), () -> delegate.send(o.to(), o.message()));
      }
    }
  }

  @Override
  public void multicast(ProtocolMessage message) {
    for (NodeId to : nodes) {
      if (!to.equals(self)) {
        send(to, message);
      }
    }
  }
}
