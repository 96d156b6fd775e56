package org.bftlab.transport.fault;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.transport.Transport;

/**
 * A {@link Transport} decorator that applies a {@link FaultPlan} to every message this replica
 * sends: a dropped message never reaches the delegate, a delayed copy is handed to it later
 * through the {@link TickScheduler}. On a live cluster the clock and scheduler convert ticks to
 * milliseconds ({@link TickScheduler#ofMillis}); tests pass a fake. A multicast becomes one
 * decision per receiver. The plan can be replaced at run time (the admin API's fault rules).
 * Thread-safe: decisions are serialized on this object (the seeded generator is not shared).
 */
public final class FaultyTransport implements Transport {
  private final Transport delegate;
  private final NodeId self;
  private final List<NodeId> nodes;
  private final TickScheduler scheduler;
  private final SplittableRandom random;
  private volatile FaultPlan plan;
  /** Tick that rule windows are counted from: 0 for {@link #setPlan}, "now" for {@link #install}. */
  private volatile long planOrigin;

  /**
   * @param delegate the real transport
   * @param self this replica (the sender of every message)
   * @param nodes every replica (multicast targets all but {@code self})
   * @param plan the rules to apply
   * @param scheduler the clock (current tick) and delayed execution
   * @param seed seeds the generator behind probabilities and delay samples
   */
  public FaultyTransport(Transport delegate, NodeId self, List<NodeId> nodes, FaultPlan plan,
      TickScheduler scheduler, long seed) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.self = Objects.requireNonNull(self, "self");
    this.nodes = List.copyOf(nodes);
    this.plan = Objects.requireNonNull(plan, "plan");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.random = new SplittableRandom(seed);
  }

  /** Replaces the rules; applies to messages sent from now on; windows in absolute ticks. */
  public synchronized void setPlan(FaultPlan newPlan) {
    this.plan = Objects.requireNonNull(newPlan, "plan");
    this.planOrigin = 0;
  }

  /**
   * Replaces the rules with windows counted from now (tick 0 = the moment of the call): what
   * an operator means by "drop PREPAREs for the next 500 ticks". {@code FaultPlan.NONE} heals.
   */
  public synchronized void install(FaultPlan newPlan) {
    this.plan = Objects.requireNonNull(newPlan, "plan");
    this.planOrigin = scheduler.nowTicks();
  }

  /** Ticks since the plan in force was installed. */
  public long ticksSincePlan() {
    return scheduler.nowTicks() - planOrigin;
  }

  /** Messages a fault rule dropped since this transport was created (for the metrics). */
  public long dropped() {
    return dropped.get();
  }

  private final java.util.concurrent.atomic.AtomicLong dropped =
      new java.util.concurrent.atomic.AtomicLong();

  /** The rules in force. */
  public FaultPlan plan() {
    return plan;
  }

  @Override
  public void send(NodeId to, ProtocolMessage message) {
    Fate fate;
    synchronized (this) {
      fate = plan.decide(scheduler.nowTicks() - planOrigin, self, to, message, random);
    }
    if (fate.dropped()) {
      dropped.incrementAndGet();
    }
    for (long delay : fate.copies()) {
      if (delay == 0) {
        delegate.send(to, message);
      } else {
        scheduler.schedule(delay, () -> delegate.send(to, message));
      }
    }
  }

  /**
   * One decision per receiver; without rules (the normal case) the delegate's own multicast,
   * which serialises the message once for every peer (issue 9).
   */
  @Override
  public void multicast(ProtocolMessage message) {
    if (plan.rules().isEmpty()) {
      delegate.multicast(message);
      return;
    }
    for (NodeId to : nodes) {
      if (!to.equals(self)) {
        send(to, message);
      }
    }
  }
}
