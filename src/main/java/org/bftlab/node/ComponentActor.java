package org.bftlab.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.bftlab.codec.CborSerializable;
import org.bftlab.core.Component;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.trace.NodeEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Pekko shell around one core {@link Component} (DESIGN.md §1), with group commit.
 *
 * <p>Two actors: a front actor that receives inputs and ticks, and an {@link
 * EventSourcedBehavior} journaled under {@code <cluster>/<node>/<component>}. While the journal
 * write of one round is in flight, the front actor queues the inputs that arrive; the next round
 * hands all of them over at once. A round steps the component's {@link ComponentRunner} for each
 * input in order (the runner applies each decision's events to the state as it goes, so the next
 * input sees them, and hands the durable ones to this round's journal), then persists all durable
 * events of the round in one atomic write ({@code Effect().persist(events)}) and only then
 * performs the round's outputs ({@code thenRun}): persist before send. Volatile events ({@link
 * Event.Volatile}) are applied and never journaled. The events of quiet steps (no outputs) wait
 * in the runner for the next round that writes ({@link ComponentRunner}, "Quiet steps"); a round
 * made only of quiet steps writes nothing and sends nothing. On replay the event handler hands
 * journaled events to {@link ComponentRunner#replay}; during live rounds it skips them, as the
 * round applied them already. Snapshots hold {@link ComponentRunner#compact()}'s retained events.
 *
 * <p>Why: one journal write (an fsync) per input caps a component at one input per fsync, and
 * PBFT feeds each replica O(n) messages per sequence number. Grouping keeps the durability
 * contract and amortises the fsync.
 *
 * <p>A journal that cannot be replayed (failed checksum, truncated file) fails recovery; after
 * three restarts the component stops and the node guardian stops the node with that error rather
 * than serve a partial state. A component that stops before its journal is replayed fails the
 * {@code recovered} future at once, so that a node start never waits out its recovery timeout.
 *
 * <p><b>Amnesia.</b> With a {@link JournalMark}, every round whose outputs leave the node records
 * the journal's sequence number in the mark after the journal write and before the outputs are
 * sent; after replay, a journal that recovered less than the mark has lost its tail (a truncated
 * or emptied write-ahead log): the component logs why at ERROR and stops before running
 * {@code recover()} or deciding any input, so it signs nothing for slots it may have forgotten.
 * Likewise when the component reports its data outside the journal missing ({@link
 * Component#recoveryError}, e.g. a block store shorter than the chain).
 *
 * @param <S> the component's state
 * @param <E> the component's event type
 */
public final class ComponentActor<S, E extends Event>
    extends EventSourcedBehavior<ComponentActor.Command<S>, E, S> {

  private static final Logger TRACE = LoggerFactory.getLogger("org.bftlab.trace.events");
  private static final Logger LOG = LoggerFactory.getLogger(ComponentActor.class);

  /** Transitions an operator wants in the log, in the paper's words, at INFO. */
  private static final java.util.Set<String> MILESTONES = java.util.Set.of("ViewChangeStarted",
      "ViewChangeJoined", "HigherViewJoined", "NewViewSent", "NewViewInstalled", "CheckpointStable",
      "StateTransferred");
  /** Events that report a safety violation seen from this replica: logged at ERROR. */
  private static final java.util.Set<String> ALARMS = java.util.Set.of("StateDiverged");

  /**
   * Whether the durable events of quiet steps wait for the next step that sends
   * ({@link ComponentRunner}, "Quiet steps"); {@code -Dbftlab.journal.defer-quiet=false} writes
   * every round's (a measurement switch, as the A/B in docs/perf-levers.md).
   */
  static final boolean DEFER_QUIET =
      !"false".equals(System.getProperty("bftlab.journal.defer-quiet"));

  /** Most inputs one round decides; the rest wait for the next round. */
  static final int MAX_ROUND = 256;

  /** What the shell accepts; local only, never crosses the network. */
  public sealed interface Command<S> {}

  /** Feed one input to {@code decide}. */
  public record Step<S>(Input input) implements Command<S> {}

  /**
   * As {@link Step}, and complete {@code performed} once the round that decided it has made its
   * events durable and performed its outputs (the gateway answers 202 only then, so an accepted
   * request has left the node — relayed — before the client hears "accepted").
   */
  public record StepAcked<S>(Input input, CompletableFuture<Void> performed)
      implements Command<S> {}

  /** Read the state with {@code read} (runs inside the actor) and reply with the result. */
  public record Query<S, R>(Function<S, R> read, ActorRef<R> replyTo) implements Command<S> {}

  /**
   * The tick timer → front: a {@link Input#TICK} unless one is queued already. The timer runs at
   * a fixed rate, so ticks keep their nominal period (a fixed delay under Pekko's 10 ms scheduler
   * fired every ~20 ms for a 10 ms tick); the ticks a pause or a long round lets pile up become
   * one, so there is no burst of rounds afterwards.
   */
  private record TimerTick<S>() implements Command<S> {}

  /** Front → journaled actor: one round of inputs. */
  private record Round<S>(List<Input> inputs, boolean recover) implements Command<S> {}

  /** Journaled actor → front: the round's events are durable and its outputs performed. */
  private record RoundDone<S>() implements Command<S> {}

  /** Journaled actor → front: the journal is replayed; the next round starts with recover(). */
  private record Recovered<S>() implements Command<S> {}

  /** Journaled actor → front: the journal lost its tail (below the mark); stop, never run. */
  private record Amnesia<S>(String reason) implements Command<S> {}

  private final ComponentRunner<S, E> runner;
  /** The durable events of the live round, as the runner journals them. */
  private final List<E> roundJournal = new ArrayList<>();
  private final Consumer<List<Output>> perform;
  private final ActorRef<Command<S>> front;
  private final String id;
  private final int snapshotEvery;
  private final org.apache.pekko.actor.typed.javadsl.ActorContext<Command<S>> ctx;
  /** The journal's durable high-water mark, or null when none is kept. */
  private final JournalMark mark;
  /** Durable events of the current live round still to be confirmed by the event handler. */
  private int appliedAhead;
  /** Observes the rounds (live trace, metrics); {@link NodeEvents#NONE} by default. */
  private final NodeEvents events;
  /** {@code election}, {@code agreement} or {@code block-commit}: the id's last segment. */
  private final String component;

  private ComponentActor(PersistenceId id, Component<S, E> core, Consumer<List<Output>> perform,
      ActorRef<Command<S>> front, int snapshotEvery,
      org.apache.pekko.actor.typed.javadsl.ActorContext<Command<S>> ctx, JournalMark mark,
      NodeEvents events) {
    super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2)
        .withMaxRestarts(3));
    this.id = id.id();
    this.runner = new ComponentRunner<>(core, roundJournal::addAll).deferQuiet(DEFER_QUIET);
    this.perform = perform;
    this.front = front;
    this.snapshotEvery = snapshotEvery;
    this.ctx = ctx;
    this.mark = mark;
    this.events = events;
    this.component = this.id.substring(this.id.lastIndexOf('/') + 1);
  }

  /**
   * A snapshot: the retained durable events, in order. Replaying them on a fresh state rebuilds
   * the component; the journal below the snapshot is deleted.
   *
   * @param events the retained events
   */
  public record CompactedJournal(List<Event> events) implements CborSerializable {
    public CompactedJournal {
      events = List.copyOf(events);
    }
  }

  /**
   * Every {@code snapshotEvery} journaled events, snapshot the retained events, keep only the
   * newest snapshot, and delete the journal below it: disk use is one compacted snapshot plus
   * at most {@code snapshotEvery} events.
   */
  @Override
  public org.apache.pekko.persistence.typed.javadsl.RetentionCriteria retentionCriteria() {
    return org.apache.pekko.persistence.typed.javadsl.RetentionCriteria
        .snapshotEvery(snapshotEvery, 1).withDeleteEventsOnSnapshot();
  }

  @Override
  public org.apache.pekko.persistence.typed.SnapshotAdapter<S> snapshotAdapter() {
    return new org.apache.pekko.persistence.typed.SnapshotAdapter<>() {
      @Override
      public Object toJournal(S state) {
        return new CompactedJournal(new ArrayList<>(runner.compact()));
      }

      @Override
      @SuppressWarnings("unchecked")
      public S fromJournal(Object from) {
        runner.restore((List<E>) (List<?>) ((CompactedJournal) from).events(), 0);
        return runner.state();
      }
    };
  }

  /**
   * The shell's behavior (the front actor; it spawns the journaled actor as its child and stops
   * when the child stops for good).
   *
   * @param persistenceId {@code <cluster>/<node>/<component>}
   * @param core the component
   * @param perform performs outputs (network sends and sibling signals)
   * @param tick interval of {@link Input#TICK}, or null for a component that needs no time
   */
  public static <S, E extends Event> Behavior<Command<S>> create(String persistenceId,
      Component<S, E> core, Consumer<List<Output>> perform, Duration tick) {
    return create(persistenceId, core, perform, tick, DEFAULT_SNAPSHOT_EVERY,
        new java.util.concurrent.CompletableFuture<>());
  }

  /** Journaled events between two snapshots unless configured. */
  public static final int DEFAULT_SNAPSHOT_EVERY = 1000;

  /**
   * As {@link #create(String, Component, Consumer, Duration)}, snapshotting the retained events
   * every {@code snapshotEvery} journaled events and deleting the journal below, and completing
   * {@code recovered} once the journal is replayed and {@code recover()} has run.
   */
  public static <S, E extends Event> Behavior<Command<S>> create(String persistenceId,
      Component<S, E> core, Consumer<List<Output>> perform, Duration tick, int snapshotEvery,
      java.util.concurrent.CompletableFuture<Void> recovered) {
    return create(persistenceId, core, perform, tick, snapshotEvery, recovered, null);
  }

  /**
   * As {@link #create(String, Component, Consumer, Duration, int,
   * java.util.concurrent.CompletableFuture)}, keeping the journal's high-water mark in
   * {@code mark} (null: none) and refusing to run on a journal that recovers less than it.
   */
  public static <S, E extends Event> Behavior<Command<S>> create(String persistenceId,
      Component<S, E> core, Consumer<List<Output>> perform, Duration tick, int snapshotEvery,
      java.util.concurrent.CompletableFuture<Void> recovered, JournalMark mark) {
    return create(persistenceId, core, perform, tick, snapshotEvery, recovered, mark,
        NodeEvents.NONE);
  }

  /**
   * As {@link #create(String, Component, Consumer, Duration, int,
   * java.util.concurrent.CompletableFuture, JournalMark)}, reporting each round to
   * {@code events}: its volatile events as they are applied, its durable events once journaled
   * (with the write's duration) and before its outputs are sent, and the state it left.
   */
  public static <S, E extends Event> Behavior<Command<S>> create(String persistenceId,
      Component<S, E> core, Consumer<List<Output>> perform, Duration tick, int snapshotEvery,
      java.util.concurrent.CompletableFuture<Void> recovered, JournalMark mark,
      NodeEvents events) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      if (tick != null) {
        timers.startTimerAtFixedRate("tick", new TimerTick<S>(), tick);
      }
      ActorRef<Command<S>> front = ctx.getSelf();
      ActorRef<Command<S>> journaled = ctx.spawn(Behaviors.<Command<S>>setup(jctx ->
          new ComponentActor<>(PersistenceId.ofUniqueId(persistenceId), core, perform, front,
              snapshotEvery, jctx, mark, events)), "journaled");
      ctx.watch(journaled);
      return new Front<S>(journaled, recovered, persistenceId, mark).idle(true);
    }));
  }

  /** Queues inputs while a round is in flight; hands them over as the next round. */
  private static final class Front<S> {
    private final ActorRef<Command<S>> journaled;
    private final List<Input> queued = new ArrayList<>();
    /** Acks of {@code queued}, index for index (null: a plain Step). */
    private final List<CompletableFuture<Void>> queuedAcks = new ArrayList<>();
    /** Acks of the round in flight, completed at its RoundDone. */
    private final List<CompletableFuture<Void>> inFlightAcks = new ArrayList<>();
    private final java.util.concurrent.CompletableFuture<Void> recovered;
    /** A timer tick waits in {@code queued} (at most one does). */
    private boolean tickQueued;
    private final String id;
    private final JournalMark mark;

    Front(ActorRef<Command<S>> journaled,
        java.util.concurrent.CompletableFuture<Void> recovered, String id, JournalMark mark) {
      this.journaled = journaled;
      this.recovered = recovered;
      this.id = id;
      this.mark = mark;
    }

    private Behavior<Command<S>> stop(String reason) {
      recovered.completeExceptionally(new IllegalStateException(reason));
      closeMark();
      return Behaviors.stopped();
    }

    private void closeMark() {
      if (mark != null) {
        try {
          mark.close();
        } catch (java.io.IOException e) {
          LOG.warn("{}: closing {}: {}", id, mark.file(), e.toString());
        }
      }
    }

    /**
   * The front's behavior; it starts busy until the journaled actor reports {@link Recovered}
   * (after a restart of the journaled actor too), so that recover() runs before any input.
   *
   * @param busy a round (or recovery) is in flight
   */
    Behavior<Command<S>> idle(boolean busy) {
      return Behaviors.receive((Class<Command<S>>) (Class<?>) Command.class)
          .onMessage(Step.class, s -> {
            queued.add(((Step<?>) s).input());
            queuedAcks.add(null);
            return busy ? Behaviors.same() : flush(false);
          })
          .onMessage(TimerTick.class, t -> {
            if (tickQueued) {
              return Behaviors.same(); // one is waiting for the next round already
            }
            tickQueued = true;
            queued.add(Input.TICK);
            queuedAcks.add(null);
            return busy ? Behaviors.same() : flush(false);
          })
          .onMessage(StepAcked.class, s -> {
            queued.add(((StepAcked<?>) s).input());
            queuedAcks.add(((StepAcked<?>) s).performed());
            return busy ? Behaviors.same() : flush(false);
          })
          .onMessage(RoundDone.class, d -> {
            inFlightAcks.forEach(a -> a.complete(null));
            inFlightAcks.clear();
            return queued.isEmpty() ? idle(false) : flush(false);
          })
          .onMessage(Recovered.class, r -> {
            recovered.complete(null);
            return flush(true);
          })
          .onMessage(Amnesia.class, a -> stop(((Amnesia<?>) a).reason()))
          .onMessage(Query.class, q -> {
            @SuppressWarnings("unchecked")
            Command<S> query = (Command<S>) q;
            journaled.tell(query);
            return Behaviors.same();
          })
          .onSignal(Terminated.class, t -> recovered.isDone() ? stopQuietly()
              : stop(id + ": stopped before its journal was replayed (see the error above)"))
          .onSignal(PostStop.class, p -> {
            // stopped by its parent (the node stops) before recovery finished
            recovered.completeExceptionally(new IllegalStateException(id
                + ": stopped before its journal was replayed"));
            return Behaviors.same();
          })
          .build();
    }

    private Behavior<Command<S>> stopQuietly() {
      closeMark();
      return Behaviors.stopped();
    }

    private Behavior<Command<S>> flush(boolean recover) {
      int n = Math.min(queued.size(), MAX_ROUND);
      List<Input> round = List.copyOf(queued.subList(0, n));
      queued.subList(0, n).clear();
      queuedAcks.subList(0, n).stream().filter(a -> a != null).forEach(inFlightAcks::add);
      queuedAcks.subList(0, n).clear();
      tickQueued = tickQueued && queued.contains(Input.TICK);
      journaled.tell(new Round<>(round, recover));
      return idle(true);
    }
  }

  /** A fresh state at every (re)start; recovery then restores the snapshot and replays. */
  @Override
  public S emptyState() {
    runner.reset();
    return runner.state();
  }

  @Override
  public CommandHandler<Command<S>, E, S> commandHandler() {
    return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::onCommand);
  }

  @SuppressWarnings("unchecked")
  private Effect<E, S> onCommand(S state, Command<S> cmd) {
    if (cmd instanceof Round<S> round) {
      return runRound(state, round);
    }
    if (cmd instanceof Query<?, ?> q) {
      Query<S, Object> query = (Query<S, Object>) q;
      query.replyTo().tell(query.read().apply(runner.state()));
      return Effect().none();
    }
    return Effect().unhandled();
  }

  /** Decides every input of the round in order, then persists, then performs the outputs. */
  private Effect<E, S> runRound(S state, Round<S> round) {
    roundJournal.clear();
    List<Output> outputs = new ArrayList<>();
    if (round.recover()) {
      trace(runner.recover(), outputs);
    }
    for (Input in : round.inputs()) {
      trace(runner.step(in), outputs);
    }
    if (!roundJournal.isEmpty()) {
      runner.flush(); // the round writes anyway: with it the quiet steps' events after its last
                      // speaking step, so that a snapshot after this write matches the state
    }
    List<E> durable = new ArrayList<>(roundJournal);
    roundJournal.clear();
    events.roundDecided(component, runner.state());
    if (durable.isEmpty()) {
      perform(outputs);
      return Effect().none();
    }
    appliedAhead = durable.size();
    long writeStart = System.nanoTime();
    return Effect().persist(durable).thenRun(s -> {
      events.persisted(component, durable, System.nanoTime() - writeStart);
      markDurable(outputs);
      perform(outputs);
    });
  }

  /** Logs a step's milestones (INFO) and events (DEBUG) and collects its outputs. */
  private void trace(Decision<E> d, List<Output> outputs) {
    for (E e : d.events()) {
      if (e instanceof Event.Volatile) {
        events.applied(component, e);
      }
      String name = e.getClass().getSimpleName();
      if (ALARMS.contains(name)) {
        LOG.error("{}: SAFETY: {}", id, e);
      } else if (MILESTONES.contains(name)) {
        LOG.info("{}: {}", id, e);
      } else if (TRACE.isDebugEnabled() && !name.equals("Ticked")) {
        TRACE.debug("{} {}", id, e);
      }
    }
    outputs.addAll(d.outputs());
  }

  /**
   * Before outputs that leave the node: the journal's sequence number goes into the mark (the
   * journal write is durable by now). Rounds that only talk to siblings skip it, as no message
   * of theirs can be one this replica forgets; a later round that sends covers their events.
   */
  private void markDurable(List<Output> outputs) {
    if (mark == null || outputs.stream().allMatch(o -> o instanceof Output.ToSibling)) {
      return;
    }
    try {
      mark.advance(lastSequenceNumber(ctx));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(id + ": cannot record the journal mark in " + mark.file()
          + "; not sending: " + e, e);
    }
  }

  private void perform(List<Output> outputs) {
    if (!outputs.isEmpty()) {
      perform.accept(outputs);
    }
    front.tell(new RoundDone<>());
  }

  /** Replay applies journaled events; a live round applied its own already (see class doc). */
  @Override
  public EventHandler<S, E> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
      if (appliedAhead > 0) {
        appliedAhead--;
        return runner.state();
      }
      runner.replay(event);
      return runner.state();
    });
  }

  @Override
  public SignalHandler<S> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(org.apache.pekko.actor.typed.PreRestart.instance(), state -> {
          // Pekko restarts from the state object it got from emptyState() once, which the
          // runner mutated in place: start the runner over, as recovery replays the journal
          roundJournal.clear();
          appliedAhead = 0;
          runner.reset();
        })
        .onSignal(org.apache.pekko.persistence.typed.RecoveryFailed.class, (state, failed) ->
            LOG.error("{}: the journal cannot be replayed ({}); refusing to run on it", id,
                failed.getFailure().toString()))
        .onSignal(RecoveryCompleted.instance(), state -> {
          appliedAhead = 0;
          long replayed = lastSequenceNumber(ctx);
          if (mark != null && replayed < mark.value()) {
            String why = id + ": the journal recovered up to event " + replayed + " but this"
                + " replica had persisted (and may have sent) up to event " + mark.value()
                + " (" + mark.file() + "): the journal lost its tail (truncated or emptied"
                + " write-ahead log) and this replica may have signed messages it no longer"
                + " knows of; refusing to run on it. Restore the data directory from a backup,"
                + " or move it away so that the node starts empty and catches up by state"
                + " transfer";
            LOG.error(why);
            front.tell(new Amnesia<>(why));
            return;
          }
          java.util.Optional<String> missing = runner.core().recoveryError(runner.state());
          if (missing.isPresent()) {
            String why = id + ": " + missing.get();
            LOG.error(why);
            front.tell(new Amnesia<>(why));
            return;
          }
          front.tell(new Recovered<>());
        })
        .build();
  }
}
