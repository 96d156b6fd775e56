package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Pekko shell on its own (issue 8 item 4), over the in-memory persistence testkit and a toy
 * component — a counter whose every tick persists {@code Added(1)} and then emits a signal naming
 * the new total: group commit, persist before send, recovery after a failed write, snapshot and
 * journal deletion, a journal that cannot be read refused.
 */
class ComponentActorTest {
  private static final Config CONFIG = ConfigFactory.parseString(
      "pekko.persistence.testkit.events.serialize = off\n"
          + "pekko.persistence.testkit.snapshots.serialize = off\n"
          + "pekko.loglevel = WARNING\n")
      .withFallback(PersistenceTestKitPlugin.getInstance().config())
      .withFallback(PersistenceTestKitSnapshotPlugin.config());
  private static final ActorTestKit KIT = ActorTestKit.create(
      ManualTime.config().withFallback(CONFIG));
  /**
   * The kit's scheduler is manual: the shell's restart back-off (200 ms, doubling) elapses when a
   * test says so, never by waiting.
   */
  private static final ManualTime CLOCK = ManualTime.get(KIT.system());
  private static final PersistenceTestKit JOURNAL = PersistenceTestKit.create(KIT.system());
  private static final SnapshotTestKit SNAPSHOTS = SnapshotTestKit.create(KIT.system());
  private static final AtomicInteger IDS = new AtomicInteger();

  record Added(long amount) implements Event {}

  static final class Counter {
    long total;
  }

  /** Tick: persist Added(1), then (next rule) signal the total it reads. */
  static final class CounterCore implements Component<Counter, Added> {
    @Override
    public Counter initialState() {
      return new Counter();
    }

    @Override
    public void decide(Counter s, Input input, Decision.Builder<Added> out) {
      out.persist(new Added(1));
      out.settle();
      out.output(new Output.ToSibling(new Signal.RequestPending("total-" + s.total)));
    }

    @Override
    public Counter apply(Counter s, Added e) {
      s.total += e.amount();
      return s;
    }
  }

  /** As {@link CounterCore}; its recover() signals the total it recovered. */
  static final class RecoveringCounterCore implements Component<Counter, Added> {
    private final CounterCore counter = new CounterCore();

    @Override
    public Counter initialState() {
      return counter.initialState();
    }

    @Override
    public void decide(Counter s, Input input, Decision.Builder<Added> out) {
      counter.decide(s, input, out);
    }

    @Override
    public Counter apply(Counter s, Added e) {
      return counter.apply(s, e);
    }

    @Override
    public void recover(Counter s, Decision.Builder<Added> out) {
      out.output(new Output.ToSibling(new Signal.RequestPending("recovered-" + s.total)));
    }
  }

  private String pid;
  private TestProbe<String> sent;
  private CompletableFuture<Void> recovered;

  @BeforeEach
  void fresh() {
    JOURNAL.clearAll();
    JOURNAL.resetPolicy();
    SNAPSHOTS.clearAll();
    pid = "test/node-0/counter-" + IDS.incrementAndGet();
    sent = KIT.createTestProbe();
    recovered = new CompletableFuture<>();
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private ActorRef<ComponentActor.Command<Counter>> spawn(int snapshotEvery) {
    return spawn(snapshotEvery, null);
  }

  private ActorRef<ComponentActor.Command<Counter>> spawn(int snapshotEvery, Duration tick) {
    return spawn(new CounterCore(), snapshotEvery, tick);
  }

  private ActorRef<ComponentActor.Command<Counter>> spawn(Component<Counter, Added> core,
      int snapshotEvery, Duration tick) {
    recovered = new CompletableFuture<>();
    TestProbe<String> out = sent;
    return KIT.spawn(ComponentActor.create(pid, core, outputs -> outputs.forEach(o ->
        out.getRef().tell(((Signal.RequestPending) ((Output.ToSibling) o).signal()).txId())),
        tick, snapshotEvery, recovered));
  }

  /**
   * Records the size of every journal write of this test's component in {@code batches} and
   * holds the first one (signalling {@code firstWrite}) until {@code release}.
   */
  private void holdFirstWrite(List<Integer> batches, CountDownLatch firstWrite,
      CountDownLatch release) {
    hold(op -> op instanceof WriteEvents w && batches.add(w.getBatch().size())
        && batches.size() == 1, firstWrite, release);
  }

  /**
   * Holds every journal operation of this test's component that {@code which} selects (it is
   * asked once an operation), signalling {@code reached}, until {@code release}.
   */
  private void hold(java.util.function.Predicate<Object> which, CountDownLatch reached,
      CountDownLatch release) {
    JOURNAL.withPolicy((persistenceId, op) -> {
      if (persistenceId.equals(pid) && which.test(op)) {
        reached.countDown();
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return ProcessingSuccess$.MODULE$;
    });
  }

  @Test
  @DisplayName("timer ticks come at a fixed rate, and those that pile up behind a slow round "
      + "become one tick: no burst of rounds after a pause (issue 9)")
  void timerTicksPiledUpBehindASlowRoundBecomeOne() throws Exception {
    CountDownLatch firstWrite = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batches = new CopyOnWriteArrayList<>();
    holdFirstWrite(batches, firstWrite, release);
    spawn(1000, Duration.ofMillis(10));
    recovered.get(5, TimeUnit.SECONDS);
    CLOCK.timePasses(Duration.ofMillis(10)); // the first timer tick: a round, its write held
    assertThat(firstWrite.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 10; i++) {
      CLOCK.timePasses(Duration.ofMillis(10)); // ten more ticks while the round is in flight
    }
    release.countDown();
    assertThat(sent.receiveSeveralMessages(2)).containsExactly("total-1", "total-2");
    sent.expectNoMessage(Duration.ofMillis(200));
    assertThat(batches).as("one tick per round, the ten that piled up taken as one")
        .containsExactly(1, 1);
  }

  private long total(ActorRef<ComponentActor.Command<Counter>> actor) {
    TestProbe<Long> reply = KIT.createTestProbe();
    actor.tell(new ComponentActor.Query<>(s -> s.total, reply.getRef()));
    return reply.receiveMessage();
  }

  @Test
  @DisplayName("StepAcked (the gateway's 202): its ack completes only after the round's events are "
      + "durable and its outputs performed, never while the journal write is pending")
  void stepAckedCompletesAfterTheRoundIsDurableAndSent() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    JOURNAL.withPolicy((persistenceId, op) -> {
      if (op instanceof WriteEvents && persistenceId.equals(pid)) {
        writing.countDown();
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return ProcessingSuccess$.MODULE$;
    });
    ActorRef<ComponentActor.Command<Counter>> actor = spawn(1000);
    recovered.get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> performed = new CompletableFuture<>();
    actor.tell(new ComponentActor.StepAcked<>(Input.TICK, performed));
    assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
    sent.expectNoMessage(Duration.ofMillis(200));
    assertThat(performed).as("no ack while the event is not durable").isNotDone();
    release.countDown();
    assertThat(sent.receiveMessage()).isEqualTo("total-1");
    performed.get(5, TimeUnit.SECONDS);
    assertThat(JOURNAL.persistedInStorage(pid)).hasSize(1);
  }

  @Test
  @DisplayName("persist before send, and group commit: inputs that arrive during a journal write "
      + "are decided together and persisted in one write, their outputs sent after it")
  void groupCommitAndPersistBeforeSend() throws Exception {
    CountDownLatch firstWrite = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batches = new CopyOnWriteArrayList<>();
    holdFirstWrite(batches, firstWrite, release);
    ActorRef<ComponentActor.Command<Counter>> actor = spawn(1000);
    recovered.get(5, TimeUnit.SECONDS);
    actor.tell(new ComponentActor.Step<>(Input.TICK));
    assertThat(firstWrite.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 4; i++) {
      actor.tell(new ComponentActor.Step<>(Input.TICK));
    }
    sent.expectNoMessage(Duration.ofMillis(200)); // the write is not durable: nothing leaves
    release.countDown();
    assertThat(sent.receiveSeveralMessages(5))
        .containsExactly("total-1", "total-2", "total-3", "total-4", "total-5");
    assertThat(batches).containsExactly(1, 4);
    assertThat(JOURNAL.persistedInStorage(pid)).hasSize(5);
  }

  @Test
  @DisplayName("an input that arrives while the journal is replayed (a sibling's signal from its"
      + " recover()) waits: it is decided after the replay and this component's recover()")
  void inputDuringReplayIsDecidedAfterRecover() throws Exception {
    ActorRef<ComponentActor.Command<Counter>> first = spawn(new RecoveringCounterCore(), 1000,
        null);
    recovered.get(5, TimeUnit.SECONDS);
    assertThat(sent.receiveMessage()).isEqualTo("recovered-0");
    first.tell(new ComponentActor.Step<>(Input.TICK));
    assertThat(sent.receiveMessage()).isEqualTo("total-1");
    KIT.stop(first);
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    hold(op -> !(op instanceof WriteEvents), reading, release); // the replay's reads
    ActorRef<ComponentActor.Command<Counter>> again = spawn(new RecoveringCounterCore(), 1000,
        null);
    assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
    again.tell(new ComponentActor.Step<>(Input.TICK));
    sent.expectNoMessage(Duration.ofMillis(200));
    assertThat(recovered).isNotDone();
    release.countDown();
    assertThat(sent.receiveSeveralMessages(2)).containsExactly("recovered-1", "total-2");
    recovered.get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a failed journal write sends nothing; the shell restarts, recovers what is durable "
      + "and goes on")
  void recoversAfterAFailedWrite() throws Exception {
    ActorRef<ComponentActor.Command<Counter>> actor = spawn(1000);
    recovered.get(5, TimeUnit.SECONDS);
    actor.tell(new ComponentActor.Step<>(Input.TICK));
    assertThat(sent.receiveMessage()).isEqualTo("total-1");
    CountDownLatch failed = new CountDownLatch(1);
    JOURNAL.withPolicy((persistenceId, op) -> {
      if (op instanceof WriteEvents && persistenceId.equals(pid) && failed.getCount() > 0) {
        failed.countDown();
        return StorageFailure.apply(new java.io.IOException("disk full (test)"));
      }
      return ProcessingSuccess$.MODULE$;
    });
    actor.tell(new ComponentActor.Step<>(Input.TICK));
    assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
    // restarted after its back-off (200 ms of manual time) from the journal: the failed event
    // never happened, and its output never left
    TestProbe<Long> reply = KIT.createTestProbe();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Long total = null;
    while (total == null && System.nanoTime() < deadline) {
      CLOCK.timePasses(Duration.ofMillis(300));
      actor.tell(new ComponentActor.Query<>(s -> s.total, reply.getRef()));
      total = receiveOrNull(reply);
    }
    assertThat(total).as("total after the restart").isEqualTo(1);
    actor.tell(new ComponentActor.Step<>(Input.TICK));
    assertThat(sent.receiveMessage()).as("the failed round sent nothing").isEqualTo("total-2");
  }

  @Test
  @DisplayName("snapshot of the retained events every N, journal deleted below, restart from the "
      + "snapshot and the events after it")
  void snapshotsAndDeletes() throws Exception {
    ActorRef<ComponentActor.Command<Counter>> actor = spawn(3);
    recovered.get(5, TimeUnit.SECONDS);
    for (int i = 1; i <= 7; i++) {
      actor.tell(new ComponentActor.Step<>(Input.TICK));
      assertThat(sent.receiveMessage()).isEqualTo("total-" + i);
    }
    ComponentActor.CompactedJournal first = SNAPSHOTS.expectNextPersistedClass(pid,
        ComponentActor.CompactedJournal.class);
    assertThat(first.events()).hasSize(3);
    ComponentActor.CompactedJournal second = SNAPSHOTS.expectNextPersistedClass(pid,
        ComponentActor.CompactedJournal.class);
    assertThat(second.events()).hasSize(6);
    sent.awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(JOURNAL.persistedInStorage(pid)).as("events at or below 6 - 3 deleted")
          .hasSize(4);
      return null;
    });
    KIT.stop(actor);
    ActorRef<ComponentActor.Command<Counter>> again = spawn(3);
    recovered.get(5, TimeUnit.SECONDS);
    assertThat(total(again)).isEqualTo(7);
  }

  @Test
  @DisplayName("a journal that cannot be read is refused: after three restarts the component "
      + "stops and its recovered future fails")
  void refusesAnUnreadableJournal() {
    JOURNAL.failNextNReads(pid, 10);
    spawn(1000);
    // three restarts, back-off 200, 400, 800 ms of manual time
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!recovered.isDone() && System.nanoTime() < deadline) {
      CLOCK.timePasses(Duration.ofSeconds(1));
      try {
        recovered.get(20, TimeUnit.MILLISECONDS);
      } catch (Exception stillRecovering) {
        // not yet: let more back-off elapse
      }
    }
    assertThat(recovered).isCompletedExceptionally();
  }

  /** A queued reply within 20 ms (the actor is up), or null (it is still backing off). */
  private static Long receiveOrNull(TestProbe<Long> reply) {
    try {
      return reply.receiveMessage(Duration.ofMillis(20));
    } catch (AssertionError notYet) {
      return null;
    }
  }

  @Test
  @DisplayName("NodeGuardian wiring: an input for a component not yet spawned waits and is handed "
      + "over, in order, once it is bound (no null reference, nothing lost)")
  void wiringHoldsInputsUntilBound() {
    NodeGuardian.Wiring w = new NodeGuardian.Wiring(new CommittedIndex(new BlockCommitCore(
        ProtocolParams.defaults("c", 4), new NodeId(1), NOTHING_VERIFIES), 16));
    Signal first = new Signal.RequestAwaited("a");
    w.perform(List.of(new Output.ToSibling(first),
        new Output.ToSibling(new Signal.RequestAwaited("b"))));
    TestProbe<ComponentActor.Command<Counter>> election = KIT.createTestProbe();
    w.bind(org.bftlab.core.NodeRoute.Kind.ELECTION, election.getRef());
    assertThat(election.receiveSeveralMessages(2)).containsExactly(
        new ComponentActor.Step<>(new Input.FromSibling(first)),
        new ComponentActor.Step<>(new Input.FromSibling(new Signal.RequestAwaited("b"))));
    w.perform(List.of(new Output.ToSibling(new Signal.RequestAwaited("c"))));
    assertThat(election.receiveMessage())
        .isEqualTo(new ComponentActor.Step<>(new Input.FromSibling(new Signal.RequestAwaited("c"))));
  }

  /** Signs with no key and verifies nothing: the wiring test routes signals only. */
  private static final Authenticator NOTHING_VERIFIES = new Authenticator() {
    @Override
    public byte[] sign(byte[] payload) {
      return new byte[64];
    }

    @Override
    public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
      return false;
    }

    @Override
    public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
      return false;
    }

    @Override
    public boolean knowsClient(ClientId client) {
      return false;
    }
  };
}
