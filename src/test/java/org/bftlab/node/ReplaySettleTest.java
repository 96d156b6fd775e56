package org.bftlab.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.bftlab.core.Input;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplaySettle}: a node whose component failed stops only once every other component's
 * journal replay has ended (a stopped sibling counts as ended), or after its bound. Stopping
 * earlier let Pekko's LevelDB journal close its database under a running replay, and leveldbjni
 * crashed the JVM (SIGSEGV in NativeIterator.Next, a CI run of session 5).
 *
 * <p>A fake component holds every {@link ComponentActor.Query} as the journaled actor stashes
 * commands during recovery, and answers them when the test ends its "replay" with a Step. The
 * kit's clock is manual: the bound elapses when the test says so.
 */
class ReplaySettleTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config());
  private static final ManualTime CLOCK = ManualTime.get(KIT.system());
  private static final Duration BOUND = Duration.ofSeconds(60);
  /** Real time over which an absence (nothing stopped) is asserted. */
  private static final Duration ABSENCE = Duration.ofMillis(300);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A component still replaying its journal: queries wait until a Step ends the replay. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Behavior<ComponentActor.Command<Object>> replaying(String name,
      ActorRef<String> replayed) {
    return Behaviors.setup(ctx -> {
      List<ComponentActor.Query> held = new ArrayList<>();
      boolean[] done = {false};
      return Behaviors.receive((Class<ComponentActor.Command<Object>>) (Class<?>)
              ComponentActor.Command.class)
          .onMessage(ComponentActor.Query.class, q -> {
            if (done[0]) {
              q.replyTo().tell(q.read().apply(null));
            } else {
              held.add(q);
            }
            return Behaviors.same();
          })
          .onMessage(ComponentActor.Step.class, s -> {
            done[0] = true;
            held.forEach(q -> q.replyTo().tell(q.read().apply(null)));
            held.clear();
            replayed.tell(name + " replayed");
            return Behaviors.same();
          })
          .build();
    });
  }

  private static ActorRef<Object> settle(List<ActorRef<ComponentActor.Command<Object>>> cs) {
    return KIT.spawn(ReplaySettle.create("node-1", List.copyOf(cs), BOUND));
  }

  @Test
  void waitsUntilEveryOtherComponentHasReplayed() {
    TestProbe<String> replayed = KIT.createTestProbe();
    var election = KIT.spawn(replaying("election", replayed.getRef()));
    var agreement = KIT.spawn(replaying("agreement", replayed.getRef()));
    ActorRef<Object> settle = settle(List.of(election, agreement));

    TestProbe<String> stopped = stopsOf(settle);

    election.tell(new ComponentActor.Step<>(Input.TICK));
    replayed.expectMessage("election replayed");
    // agreement still replays: settle does not stop, however long (virtual time, below the
    // bound); an absence, so asserted over a short real window after the clock moved
    CLOCK.timePasses(BOUND.minusSeconds(1));
    stopped.expectNoMessage(ABSENCE);

    agreement.tell(new ComponentActor.Step<>(Input.TICK));
    replayed.expectMessage("agreement replayed");
    stopped.expectMessage("settle stopped");
  }

  @Test
  void aSiblingThatStopsOnItsOwnCountsAsSettled() {
    TestProbe<String> replayed = KIT.createTestProbe();
    var election = KIT.spawn(replaying("election", replayed.getRef()));
    var agreement = KIT.spawn(replaying("agreement", replayed.getRef()));
    ActorRef<Object> settle = settle(List.of(election, agreement));

    TestProbe<String> stopped = stopsOf(settle);

    KIT.stop(agreement);
    stopped.expectNoMessage(ABSENCE);
    election.tell(new ComponentActor.Step<>(Input.TICK));
    replayed.expectMessage("election replayed");
    stopped.expectMessage("settle stopped");
  }

  @Test
  void givesUpAfterTheBound() {
    TestProbe<String> replayed = KIT.createTestProbe();
    var stuck = KIT.spawn(replaying("agreement", replayed.getRef()));
    ActorRef<Object> settle = settle(List.of(stuck));

    TestProbe<String> stopped = stopsOf(settle);

    CLOCK.timePasses(BOUND.minusSeconds(1));
    stopped.expectNoMessage(ABSENCE);
    CLOCK.timePasses(Duration.ofSeconds(1));
    stopped.expectMessage("settle stopped");
    replayed.expectNoMessage(Duration.ZERO);
  }

  /** A probe that hears "settle stopped" when {@code settle} stops. */
  private static TestProbe<String> stopsOf(ActorRef<Object> settle) {
    TestProbe<String> stopped = KIT.createTestProbe();
    KIT.spawn(Behaviors.<Void>setup(ctx -> {
      ctx.watch(settle);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> {
            stopped.getRef().tell("settle stopped");
            return Behaviors.stopped();
          })
          .build();
    }));
    return stopped;
  }
}
