package org.bftlab.node;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, when one component of a node has stopped for good, until every other component's
 * journal replay has ended, then stops; the guardian stops the node (and so its actor system)
 * only after this actor stopped.
 *
 * <p>Why: Pekko's LevelDB journal replays on a separate dispatcher and closes its database when
 * the actor system stops. Stopping the system while a sibling is still replaying (for example a
 * node refused at start because its block store is shorter than its journal) lets leveldbjni read
 * through a closed database, which crashes the JVM (SIGSEGV in {@code NativeIterator.Next}): one
 * process in production, every in-JVM test of a surefire fork in CI.
 *
 * <p>How: a {@link ComponentActor.Query} is stashed by the journaled actor until its recovery has
 * completed, so its answer means "replay ended". A component that stops instead (its own
 * recovery failed) counts as settled through {@link Terminated}. Gives up after {@code bound},
 * logged at WARN, so a stuck replay cannot keep a failed node alive.
 */
final class ReplaySettle {
  private static final Logger LOG = LoggerFactory.getLogger(ReplaySettle.class);

  /** How long a failed node waits at most for its other components' replays. */
  static final Duration BOUND = Duration.ofSeconds(60);

  private enum Timeout { INSTANCE }

  private ReplaySettle() {}

  /**
   * @param node this node, for the log
   * @param components the front actors of the components still running (not the failed one)
   * @param bound the longest wait
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Behavior<Object> create(String node,
      List<ActorRef<? extends ComponentActor.Command<?>>> components, Duration bound) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Set<ActorRef<?>> replaying = new HashSet<>(components);
      if (replaying.isEmpty()) {
        return Behaviors.stopped();
      }
      for (ActorRef<? extends ComponentActor.Command<?>> c : components) {
        ctx.watch(c);
        ActorRef raw = c;
        raw.tell(new ComponentActor.Query<Object, Object>(state -> c, ctx.getSelf()));
      }
      timers.startSingleTimer(Timeout.INSTANCE, bound);
      return Behaviors.receive(Object.class)
          .onMessageEquals(Timeout.INSTANCE, () -> {
            LOG.warn("{}: {} component(s) still replaying their journal {} after a sibling"
                + " failed; stopping the node anyway", node, replaying.size(), bound);
            return Behaviors.stopped();
          })
          .onMessage(ActorRef.class, settled -> settle(replaying, settled))
          .onSignal(Terminated.class, t -> settle(replaying, t.getRef()))
          .build();
    }));
  }

  private static Behavior<Object> settle(Set<ActorRef<?>> replaying, ActorRef<?> settled) {
    replaying.remove(settled);
    return replaying.isEmpty() ? Behaviors.stopped() : Behaviors.same();
  }
}
