package org.bftlab.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.bftlab.core.Input;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.election.ElectionCore;
import org.bftlab.core.election.ElectionState;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.transport.NodeInbox;
import org.bftlab.transport.PekkoTransport;
import org.bftlab.transport.Transport;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.FaultyTransport;
import org.bftlab.transport.fault.TickScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's guardian (DESIGN.md §2): spawns the three protocol actors and the inbox, routes
 * network messages and sibling signals between them, and stops the node when a component
 * stops for good (for example a journal that fails its checksum) or a peer has quarantined this
 * ActorSystem ({@link QuarantineGuard}); the process then exits non-zero ({@link NodeExit}).
 */
public final class NodeGuardian {
  private static final Logger LOG = LoggerFactory.getLogger(NodeGuardian.class);

  private NodeGuardian() {}

  /**
   * The guardian behavior.
   *
   * @param params the cluster's protocol parameters
   * @param self this node
   * @param auth this node's authenticator (its private key, everyone's public keys)
   * @param tick length of one protocol tick
   * @param snapshotEvery journaled events between two snapshots of a component
   * @param started completed with the spawned components
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started) {
    return create(params, self, auth, tick, snapshotEvery, started, component -> null);
  }

  /**
   * As {@link #create(ProtocolParams, NodeId, Authenticator, Duration, int, CompletableFuture)},
   * each component keeping its journal's high-water mark ({@link JournalMark}) in
   * {@code marks.apply("election" | "agreement" | "block-commit")} (null: none).
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started,
      java.util.function.Function<String, JournalMark> marks) {
    return Behaviors.setup(ctx -> {
      String prefix = params.clusterId() + "/" + self + "/";
      Wiring w = new Wiring();
      w.committed = CommittedIndex.forReplica(params, self, auth);
      PekkoTransport transport = new PekkoTransport(self, params.nodes(), w::route);
      // network faults are injected here (admin API, tests); FaultPlan.NONE passes everything
      FaultyTransport faults = new FaultyTransport(transport, self, params.nodes(), FaultPlan.NONE,
          pekkoTicks(ctx.getSystem(), tick), self.index());
      w.transport = faults;

      CompletableFuture<Void> electionUp = new CompletableFuture<>();
      CompletableFuture<Void> agreementUp = new CompletableFuture<>();
      CompletableFuture<Void> ledgerUp = new CompletableFuture<>();
      w.election = ctx.spawn(ComponentActor.create(prefix + "election",
          new ElectionCore(params, self, auth), w::perform, tick, snapshotEvery, electionUp,
          marks.apply("election")), "election");
      w.agreement = ctx.spawn(ComponentActor.create(prefix + "agreement",
          new AgreementCore(params, self, auth), w::perform, tick, snapshotEvery, agreementUp,
          marks.apply("agreement")), "agreement");
      w.blockCommit = ctx.spawn(ComponentActor.create(prefix + "block-commit",
          new BlockCommitCore(params, self, auth), w::perform, tick, snapshotEvery, ledgerUp,
          marks.apply("block-commit")), "block-commit");
      ctx.watch(w.election);
      ctx.watch(w.agreement);
      ctx.watch(w.blockCommit);

      ActorRef<NodeInbox.Command> inbox = ctx.spawn(NodeInbox.create(w::route), "inbox");
      ctx.getSystem().receptionist().tell(Receptionist.register(NodeInbox.key(self), inbox));
      ctx.spawn(transport.directory(), "peer-directory");

      CompletableFuture<String> failure = new CompletableFuture<>();
      ctx.spawn(QuarantineGuard.create(self, failure), "quarantine-guard");
      started.complete(new NodeComponents(w.election, w.agreement, w.blockCommit, transport,
          faults, failure, CompletableFuture.allOf(electionUp, agreementUp, ledgerUp),
          w.committed));
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> {
            String why = self + ": component " + t.getRef().path().name()
                + " stopped for good (see the error above, e.g. a journal that fails its"
                + " checksum); stopping the node rather than serve a partial state";
            LOG.error(why);
            failure.complete(why);
            return Behaviors.stopped();
          })
          .build();
    });
  }

  /** Ticks of {@code tick} over Pekko's scheduler, for delayed (fault-injected) sends. */
  private static TickScheduler pekkoTicks(org.apache.pekko.actor.typed.ActorSystem<?> system,
      Duration tick) {
    long origin = System.nanoTime();
    long tickNanos = tick.toNanos();
    return new TickScheduler() {
      @Override
      public long nowTicks() {
        return (System.nanoTime() - origin) / tickNanos;
      }

      @Override
      public void schedule(long delayTicks, Runnable action) {
        system.scheduler().scheduleOnce(tick.multipliedBy(delayTicks), action,
            system.executionContext());
      }
    };
  }

  /** Late-bound references, filled before any message flows. */
  private static final class Wiring {
    volatile Transport transport;
    volatile ActorRef<ComponentActor.Command<ElectionState>> election;
    volatile ActorRef<ComponentActor.Command<AgreementState>> agreement;
    volatile ActorRef<ComponentActor.Command<BlockCommitState>> blockCommit;
    volatile CommittedIndex committed;

    /** Network message → the component that owns its type ({@link NodeRoute}). */
    void route(ProtocolMessage m) {
      tell(NodeRoute.forMessage(m), new Input.Receive(m));
    }

    private void tell(NodeRoute.Kind kind, Input in) {
      switch (kind) {
        case ELECTION -> election.tell(new ComponentActor.Step<>(in));
        case AGREEMENT -> agreement.tell(new ComponentActor.Step<>(in));
        case BLOCK_COMMIT -> blockCommit.tell(new ComponentActor.Step<>(in));
        default -> throw new IllegalStateException("unknown component " + kind);
      }
    }

    void perform(List<Output> outputs) {
      for (Output o : outputs) {
        if (o instanceof Output.Send s) {
          transport.send(s.to(), s.message());
        } else if (o instanceof Output.Multicast m) {
          transport.multicast(m.message());
        } else if (o instanceof Output.ToSibling t) {
          signal(t.signal());
        } else if (o instanceof Output.Executed e) {
          committed.onExecuted(e);
        }
      }
    }

    private void signal(Signal s) {
      committed.onSignal(s);
      Input in = new Input.FromSibling(s);
      for (NodeRoute.Kind kind : NodeRoute.forSignal(s)) {
        tell(kind, in);
      }
    }
  }
}
