package org.bftlab.transport.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.transport.Transport;
import org.junit.jupiter.api.Test;

/** The decorator over a recording transport and a fake tick scheduler. */
class FaultyTransportTest {
  record Sent(long tick, NodeId to, ProtocolMessage m) {}

  /** A manual clock: {@link #advanceTo} runs what is due. */
  static final class FakeScheduler implements TickScheduler {
    record Task(long due, long seq, Runnable action) {}

    long now;
    long seq;
    final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
        ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));

    @Override
    public long nowTicks() {
      return now;
    }

    @Override
    public void schedule(long delayTicks, Runnable action) {
      tasks.add(new Task(now + delayTicks, seq++, action));
    }

    void advanceTo(long tick) {
      while (!tasks.isEmpty() && tasks.peek().due <= tick) {
        Task t = tasks.poll();
        now = t.due;
        t.action.run();
      }
      now = tick;
    }
  }

  final List<Sent> delivered = new ArrayList<>();
  final List<ProtocolMessage> multicasts = new ArrayList<>();
  final FakeScheduler clock = new FakeScheduler();
  final Transport recorder = new Transport() {
    @Override
    public void send(NodeId to, ProtocolMessage message) {
      delivered.add(new Sent(clock.now, to, message));
    }

    @Override
    public void multicast(ProtocolMessage message) {
      // without rules the decorator hands the multicast over whole (serialised once)
      multicasts.add(message);
      for (NodeId to : NodeId.range(4)) {
        if (to.index() != 0) {
          send(to, message);
        }
      }
    }
  };
  final Request msg = Request.sign("c", new ClientId("client-0"), 1, "token", "mint",
      List.of("a", "1"), b -> new byte[64]);

  FaultyTransport transport(FaultPlan plan) {
    return new FaultyTransport(recorder, new NodeId(0), NodeId.range(4), plan, clock, 9);
  }

  @Test
  void noFaultsPassesThroughAndMulticastReachesEveryOtherNode() {
    transport(FaultPlan.NONE).multicast(msg);
    assertThat(delivered).extracting(Sent::to).containsExactly(new NodeId(1), new NodeId(2),
        new NodeId(3));
    assertThat(multicasts).containsExactly(msg);
  }

  @Test
  void delayedCopyIsHandedOverWhenTheSchedulerReachesItsTick() {
    FaultyTransport t = transport(FaultPlan.of(new NetworkRule.Delay(Scope.always(),
        new DelayDistribution.Fixed(5))));
    t.send(new NodeId(1), msg);
    assertThat(delivered).isEmpty();
    clock.advanceTo(4);
    assertThat(delivered).isEmpty();
    clock.advanceTo(5);
    assertThat(delivered).containsExactly(new Sent(5, new NodeId(1), msg));
  }

  @Test
  void droppedAndDuplicatedAndHealedByTheClock() {
    FaultyTransport t = transport(FaultPlan.of(
        new NetworkRule.Isolate(Scope.window(0, 10), new NodeId(2)),
        new NetworkRule.Duplicate(Scope.always().to(new NodeId(3)), 1.0,
            new DelayDistribution.Fixed(2))));
    t.multicast(msg);
    clock.advanceTo(3);
    assertThat(delivered).extracting(Sent::to).containsExactly(new NodeId(1), new NodeId(3),
        new NodeId(3));
    delivered.clear();
    clock.advanceTo(10);
    t.send(new NodeId(2), msg);
    assertThat(delivered).extracting(Sent::to).containsExactly(new NodeId(2));
  }

  @Test
  void planCanBeReplacedAtRunTime() {
    FaultyTransport t = transport(FaultPlan.of(new NetworkRule.Drop(Scope.always(), 1.0)));
    t.send(new NodeId(1), msg);
    t.setPlan(FaultPlan.NONE);
    t.send(new NodeId(1), msg);
    assertThat(delivered).hasSize(1);
  }

  @Test
  void millisSchedulerCountsTicksFromItsOrigin() {
    long[] ms = {1000};
    var executor = Executors.newSingleThreadScheduledExecutor();
    try {
      TickScheduler s = TickScheduler.ofMillis(10, () -> ms[0], executor);
      assertThat(s.nowTicks()).isZero();
      ms[0] = 1095;
      assertThat(s.nowTicks()).isEqualTo(9);
    } finally {
      executor.shutdownNow();
    }
  }
}
