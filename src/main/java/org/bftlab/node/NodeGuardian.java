package org.bftlab.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
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
import org.bftlab.core.ledger.BlockStore;
import org.bftlab.core.ledger.InMemoryBlockStore;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.trace.NodeEvents;
import org.bftlab.transport.NodeInbox;
import org.bftlab.transport.PekkoTransport;
import org.bftlab.transport.Transport;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.byzantine.ByzantineTransport;
import org.bftlab.transport.fault.FaultyTransport;
import org.bftlab.transport.fault.TickScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's guardian (DESIGN.md §2): spawns the three protocol actors and the inbox, routes
 * network messages and sibling signals between them, and stops the node when a component
 * stops for good (for example a journal that fails its checksum; once the other components'
 * journal replays have ended, {@link ReplaySettle}) or a peer has quarantined this ActorSystem
 * ({@link QuarantineGuard}); the process then exits non-zero ({@link NodeExit}).
 */
public final class NodeGuardian {
  /** The name of the inbox actor peers send to, a child of the guardian: {@code /user/inbox}. */
  static final String INBOX = "inbox";

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
    return create(params, self, auth, tick, snapshotEvery, started, marks, NodeEvents.NONE);
  }

  /**
   * As {@link #create(ProtocolParams, NodeId, Authenticator, Duration, int, CompletableFuture,
   * java.util.function.Function)}, reporting sends, deliveries, signals and every component's
   * rounds to {@code events} (the live trace and the metrics).
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started,
      java.util.function.Function<String, JournalMark> marks, NodeEvents events) {
    return create(params, self, auth, tick, snapshotEvery, started, marks, events,
        new InMemoryBlockStore(), null);
  }

  /**
   * As {@link #create(ProtocolParams, NodeId, Authenticator, Duration, int, CompletableFuture,
   * java.util.function.Function, NodeEvents)}, the block-commit component keeping its chain in
   * {@code blocks} (the node's {@link LevelDbBlockStore}).
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started,
      java.util.function.Function<String, JournalMark> marks, NodeEvents events,
      BlockStore blocks) {
    return create(params, self, auth, tick, snapshotEvery, started, marks, events, blocks, null);
  }

  /**
   * As above, with this node made Byzantine by {@code byzantine} (its outgoing messages to peers
   * rewritten by a {@link ByzantineTransport} after the network rules; null: a correct node).
   * Only {@code bftlab node --byzantine} (a hidden lab/test flag) passes one.
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started,
      java.util.function.Function<String, JournalMark> marks, NodeEvents events,
      BlockStore blocks, ByzantineSpec byzantine) {
    return create(params, self, auth, tick, snapshotEvery, started, marks, events, blocks,
        byzantine, java.util.Set.of(), Map.of());
  }

  /**
   * As above, with deliberate bugs planted in the election and agreement cores
   * ({@link org.bftlab.core.PlantedBug}; empty: none). Only the gated, hidden {@code bftlab node
   * --planted-bug} of negative-control tests passes any.
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started,
      java.util.function.Function<String, JournalMark> marks, NodeEvents events,
      BlockStore blocks, ByzantineSpec byzantine,
      java.util.Set<org.bftlab.core.PlantedBug> plantedBugs) {
    return create(params, self, auth, tick, snapshotEvery, started, marks, events, blocks,
        byzantine, plantedBugs, Map.of());
  }

  /**
   * As above, with {@code peerInboxes}: each peer's inbox actor path by its address (see
   * {@link PekkoTransport}; empty: peers are reached only once the receptionist lists them).
   */
  public static Behavior<Void> create(ProtocolParams params, NodeId self, Authenticator auth,
      Duration tick, int snapshotEvery, CompletableFuture<NodeComponents> started,
      java.util.function.Function<String, JournalMark> marks, NodeEvents events,
      BlockStore blocks, ByzantineSpec byzantine,
      java.util.Set<org.bftlab.core.PlantedBug> plantedBugs, Map<NodeId, String> peerInboxes) {
    return Behaviors.setup(ctx -> {
      String prefix = params.clusterId() + "/" + self + "/";
      Wiring w = new Wiring(CommittedIndex.forReplica(params, self, auth), events, self,
          params.nodes());
      Map<NodeId, ActorRef<NodeInbox.Command>> byAddress = new java.util.HashMap<>();
      ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
      peerInboxes.forEach((n, path) -> byAddress.put(n, resolver.resolveActorRef(path)));
      // small messages queued for one peer go out as one bundle (issue 9), at most a batch
      PekkoTransport transport = new PekkoTransport(self, params.nodes(), w::route, byAddress,
          ctx.getSystem().executionContext(), params.batchSize());
      // network faults are injected here (admin API, tests); FaultPlan.NONE passes everything
      FaultyTransport faults = new FaultyTransport(transport, self, params.nodes(), FaultPlan.NONE,
          pekkoTicks(ctx.getSystem(), tick), self.index());
      w.transport = byzantine == null ? faults : new ByzantineTransport(faults, self,
          params.clusterId(), params.nodes(), auth, byzantine,
          pekkoTicks(ctx.getSystem(), tick), self.index());

      CompletableFuture<Void> electionUp = new CompletableFuture<>();
      CompletableFuture<Void> agreementUp = new CompletableFuture<>();
      CompletableFuture<Void> ledgerUp = new CompletableFuture<>();
      ActorRef<ComponentActor.Command<ElectionState>> election = ctx.spawn(
          ComponentActor.create(prefix + "election",
              new ElectionCore(params, self, auth, plantedBugs),
              w::perform, tick, snapshotEvery, electionUp, marks.apply("election"), events), "election");
      w.bind(NodeRoute.Kind.ELECTION, election);
      ActorRef<ComponentActor.Command<AgreementState>> agreement = ctx.spawn(
          ComponentActor.create(prefix + "agreement",
              new AgreementCore(params, self, auth, plantedBugs),
              w::perform, tick, snapshotEvery, agreementUp, marks.apply("agreement"), events),
          "agreement");
      w.bind(NodeRoute.Kind.AGREEMENT, agreement);
      ActorRef<ComponentActor.Command<BlockCommitState>> blockCommit = ctx.spawn(
          ComponentActor.create(prefix + "block-commit",
              new BlockCommitCore(params, self, auth, blocks),
              w::perform, tick, snapshotEvery, ledgerUp, marks.apply("block-commit"), events),
          "block-commit");
      w.bind(NodeRoute.Kind.BLOCK_COMMIT, blockCommit);
      ctx.watch(election);
      ctx.watch(agreement);
      ctx.watch(blockCommit);

      ActorRef<NodeInbox.Command> inbox = ctx.spawn(NodeInbox.create(w::route), INBOX);
      ctx.getSystem().receptionist().tell(Receptionist.register(NodeInbox.key(self), inbox));
      ctx.spawn(transport.directory(), "peer-directory");

      CompletableFuture<String> failure = new CompletableFuture<>();
      ctx.spawn(QuarantineGuard.create(self, failure), "quarantine-guard");
      // fails as soon as one component fails to recover: the others are then stopped with the
      // node, mid-replay, and allOf alone would wait for them until the recovery timeout
      CompletableFuture<Void> recovered = CompletableFuture.allOf(electionUp, agreementUp,
          ledgerUp);
      for (CompletableFuture<Void> up : List.of(electionUp, agreementUp, ledgerUp)) {
        up.whenComplete((ok, t) -> {
          if (t != null) {
            recovered.completeExceptionally(t);
          }
        });
      }
      started.complete(new NodeComponents(election, agreement, blockCommit, transport,
          faults, failure, recovered, w.committed));
      List<ActorRef<? extends ComponentActor.Command<?>>> components =
          List.of(election, agreement, blockCommit);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> {
            String why = self + ": component " + t.getRef().path().name()
                + " stopped for good (see the error above, e.g. a journal that fails its"
                + " checksum); stopping the node rather than serve a partial state";
            LOG.error(why);
            failure.complete(why);
            // stop only once the others' journal replays have ended (ReplaySettle says why)
            List<ActorRef<? extends ComponentActor.Command<?>>> others = components.stream()
                .filter(c -> !c.equals(t.getRef())).toList();
            ctx.watch(ctx.spawn(ReplaySettle.create(self.toString(), others,
                ReplaySettle.BOUND), "replay-settle"));
            return settling();
          })
          .build();
    });
  }

  /** After a component failed: stop when the {@link ReplaySettle} child has stopped. */
  private static Behavior<Void> settling() {
    return Behaviors.receive(Void.class)
        .onSignal(Terminated.class, t -> "replay-settle".equals(t.getRef().path().name())
            ? Behaviors.stopped() : Behaviors.same())
        .build();
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

  /**
   * Routes with {@link NodeRoute}. A component is spawned before its siblings exist and may
   * signal them at once (its recover()), and the transport may deliver before the components
   * are spawned: an input for a component not yet bound waits here, in order, and is handed over
   * when it is bound — never dropped, never a null reference.
   */
  static final class Wiring implements NodeRoute.Router {
    volatile Transport transport;
    private final java.util.Map<NodeRoute.Kind, ActorRef<? extends ComponentActor.Command<?>>> refs =
        new java.util.EnumMap<>(NodeRoute.Kind.class);
    private final java.util.Map<NodeRoute.Kind, List<Input>> waiting =
        new java.util.EnumMap<>(NodeRoute.Kind.class);

    /** Binds {@code kind} to its actor and hands it what waited for it. */
    synchronized <S> void bind(NodeRoute.Kind kind, ActorRef<ComponentActor.Command<S>> ref) {
      refs.put(kind, ref);
      for (Input in : waiting.getOrDefault(kind, List.of())) {
        ref.tell(new ComponentActor.Step<>(in));
      }
      waiting.remove(kind);
    }
    final CommittedIndex committed;
    private final NodeEvents events;
    private final NodeId self;
    private final List<NodeId> nodes;

    /** {@code committed}: where executed transactions' signed REPLYs are kept for reads. */
    Wiring(CommittedIndex committed) {
      this(committed, NodeEvents.NONE, null, List.of());
    }

    /** As {@link #Wiring(CommittedIndex)}, reporting to {@code events}. */
    Wiring(CommittedIndex committed, NodeEvents events, NodeId self, List<NodeId> nodes) {
      this.committed = committed;
      this.events = events;
      this.self = self;
      this.nodes = List.copyOf(nodes);
    }

    /** Network message → the component that owns its type ({@link NodeRoute}). */
    void route(ProtocolMessage m) {
      NodeRoute.Kind kind = NodeRoute.forMessage(m);
      events.delivered(componentName(kind), m);
      tell(kind, new Input.Receive(m));
    }

    /** The trace name of a component: {@code election}, {@code agreement}, {@code block-commit}. */
    static String componentName(NodeRoute.Kind kind) {
      return switch (kind) {
        case ELECTION -> "election";
        case AGREEMENT -> "agreement";
        case BLOCK_COMMIT -> "block-commit";
      };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    synchronized void tell(NodeRoute.Kind kind, Input in) {
      ActorRef ref = refs.get(kind);
      if (ref == null) {
        waiting.computeIfAbsent(kind, k -> new java.util.ArrayList<>()).add(in);
      } else {
        ref.tell(new ComponentActor.Step<>(in));
      }
    }

    void perform(List<Output> outputs) {
      // the committed index sees each signal once, however many components it goes to (a
      // CheckpointStable reaches two; its listeners rotate the verified-request memo)
      for (Output o : outputs) {
        if (o instanceof Output.ToSibling t) {
          committed.onSignal(t.signal());
        }
      }
      NodeRoute.route(outputs, this);
    }

    @Override
    public void send(NodeId to, ProtocolMessage message) {
      events.sent(to, message);
      transport.send(to, message);
    }

    @Override
    public void multicast(ProtocolMessage message) {
      if (events != NodeEvents.NONE) {
        for (NodeId to : nodes) {
          if (!to.equals(self)) {
            events.sent(to, message);
          }
        }
      }
      transport.multicast(message);
    }

    @Override
    public void signal(NodeRoute.Kind to, Signal signal) {
      events.signalled(componentName(to), signal);
      tell(to, new Input.FromSibling(signal));
    }

    @Override
    public void executed(Output.Executed e) {
      committed.onExecuted(e);
    }
  }
}
