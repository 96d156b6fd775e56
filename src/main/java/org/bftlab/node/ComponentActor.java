package org.bftlab.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.Output;

/**
 * The thin Pekko shell around one core {@link Component} (DESIGN.md §1): the command handler is
 * {@code decide}, then {@code Effect().persist(events).thenRun(perform outputs)}; the event
 * handler is {@code apply}. Persist before send: outputs leave only after their events are
 * durable. Volatile events ({@link Event.Volatile}) are applied in memory and never journaled.
 *
 * <p>A journal that cannot be read (failed checksum, truncated file) fails recovery; the actor
 * stops and the node guardian stops the node with that error rather than serve a partial state.
 *
 * @param <S> the component's state
 * @param <E> the component's event type
 */
public final class ComponentActor<S, E extends Event>
    extends EventSourcedBehavior<ComponentActor.Command<S>, E, S> {

  /** What the shell accepts; local only, never crosses the network. */
  public sealed interface Command<S> {}

  /** Feed one input to {@code decide}. */
  public record Step<S>(Input input) implements Command<S> {}

  /** Read the state with {@code read} (runs inside the actor) and reply with the result. */
  public record Query<S, R>(Function<S, R> read, ActorRef<R> replyTo) implements Command<S> {}

  private record Recover<S>() implements Command<S> {}

  private static final org.slf4j.Logger TRACE = org.slf4j.LoggerFactory.getLogger("org.bftlab.trace.events");

  private final Component<S, E> core;
  private final String id;
  private final Consumer<List<Output>> perform;
  private final ActorContext<Command<S>> ctx;

  private ComponentActor(ActorContext<Command<S>> ctx, PersistenceId id, Component<S, E> core,
      Consumer<List<Output>> perform) {
    super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2).withMaxRestarts(3));
    this.ctx = ctx;
    this.id = id.id();
    this.core = core;
    this.perform = perform;
  }

  /**
   * The shell's behavior.
   *
   * @param persistenceId {@code <cluster>/<node>/<component>}
   * @param core the component
   * @param perform performs outputs (network sends and sibling signals); called on the actor's thread
   * @param tick interval of {@link Input#TICK}, or null for a component that needs no time
   */
  public static <S, E extends Event> Behavior<Command<S>> create(String persistenceId,
      Component<S, E> core, Consumer<List<Output>> perform, Duration tick) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      if (tick != null) {
        timers.startTimerWithFixedDelay("tick", new Step<S>(Input.TICK), tick);
      }
      return new ComponentActor<>(ctx, PersistenceId.ofUniqueId(persistenceId), core, perform);
    }));
  }

  @Override
  public S emptyState() {
    return core.initialState();
  }

  @Override
  public CommandHandler<Command<S>, E, S> commandHandler() {
    return newCommandHandlerBuilder().forAnyState().onAnyCommand(this::onCommand);
  }

  @SuppressWarnings("unchecked")
  private Effect<E, S> onCommand(S state, Command<S> cmd) {
    if (cmd instanceof Step<S> step) {
      return run(state, core.decide(state, step.input()));
    }
    if (cmd instanceof Query<?, ?> q) {
      Query<S, Object> query = (Query<S, Object>) q;
      query.replyTo().tell(query.read().apply(state));
      return Effect().none();
    }
    if (cmd instanceof Recover<S>) {
      return run(state, core.recover(state));
    }
    return Effect().unhandled();
  }

  /**
   * Applies the leading volatile events now, persists the durable ones, then applies the
   * remaining volatile events and performs the outputs.
   */
  private Effect<E, S> run(S state, Decision<E> decision) {
    List<E> durable = new ArrayList<>();
    List<E> laterVolatile = new ArrayList<>();
    for (E e : decision.events()) {
      if (TRACE.isDebugEnabled() && !e.getClass().getSimpleName().equals("Ticked")) {
        TRACE.debug("{} {}", id, e);
      }
      if (e instanceof Event.Volatile) {
        if (durable.isEmpty()) {
          core.apply(state, e);
        } else {
          laterVolatile.add(e);
        }
      } else {
        durable.add(e);
      }
    }
    List<Output> outputs = decision.outputs();
    if (durable.isEmpty()) {
      if (outputs.isEmpty()) {
        return Effect().none();
      }
      return Effect().none().thenRun(s -> perform.accept(outputs));
    }
    return Effect().persist(durable).thenRun(s -> {
      for (E e : laterVolatile) {
        core.apply(s, e);
      }
      if (!outputs.isEmpty()) {
        perform.accept(outputs);
      }
    });
  }

  @Override
  public EventHandler<S, E> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(core::apply);
  }

  @Override
  public SignalHandler<S> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> ctx.getSelf().tell(new Recover<>()))
        .build();
  }
}
