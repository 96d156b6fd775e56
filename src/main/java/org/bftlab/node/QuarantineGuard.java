package org.bftlab.node;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.remote.artery.ThisActorSystemQuarantinedEvent;
import org.bftlab.core.model.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the node when a peer has quarantined this ActorSystem. Artery never again delivers
 * between a quarantined incarnation and the peer that quarantined it, so this replica would stay
 * cut off from that peer for the rest of its life while looking healthy. With no downing provider
 * (application.conf) Pekko does not quarantine a genesis member for a partition or a pause; this
 * guards against the cases that remain (a system-message buffer overflow, a partition longer than
 * {@code pekko.remote.artery.advanced.give-up-system-message-after}). The reason is logged at
 * ERROR and the process exits non-zero ({@link NodeExit}); the restarted process is a new
 * incarnation at the same address, which Pekko lets join in place of the old one.
 */
final class QuarantineGuard {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantineGuard.class);

  private QuarantineGuard() {}

  /**
   * @param self this node
   * @param failure completed with the reason before the node stops
   */
  static Behavior<ThisActorSystemQuarantinedEvent> create(NodeId self,
      CompletableFuture<String> failure) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().eventStream().tell(
          new EventStream.Subscribe<>(ThisActorSystemQuarantinedEvent.class, ctx.getSelf()));
      return Behaviors.receive(ThisActorSystemQuarantinedEvent.class)
          .onMessage(ThisActorSystemQuarantinedEvent.class, e -> {
            String why = self + ": quarantined by " + e.remoteAddress().address()
                + " (Artery will not deliver between this incarnation and that peer again);"
                + " stopping so that a restart rejoins as a new incarnation";
            LOG.error(why);
            failure.complete(why);
            ctx.getSystem().terminate();
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
