package org.bftlab.node;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.bftlab.api.NodeFacade;
import org.bftlab.api.NodeInfo;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.SubmitResult;
import org.bftlab.api.TxStatus;
import org.bftlab.core.Input;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;
import org.bftlab.transport.fault.FaultPlan;

/**
 * {@link NodeFacade} over the node's actors. {@code GET /transactions/{id}} and {@code /status}
 * read the {@link CommittedIndex} (no actor involved; REPLYs signed once at execution); what it
 * does not hold, and every other read, goes to the owning actor as a {@link ComponentActor.Query}
 * (ask pattern), so state is only ever read on its actor's thread.
 */
public final class ActorNodeFacade implements NodeFacade {
  private final ActorSystem<?> system;
  private final NodeComponents components;
  private final ProtocolParams params;
  private final NodeInfo info;
  private final BlockCommitCore blockCore;
  private final Duration timeout;
  private final org.bftlab.metrics.NodeMetrics metrics;
  private final org.bftlab.trace.NodeEvents events;
  private final org.bftlab.trace.LiveTrace trace;

  /**
   * @param blockCore the block-commit component, for signing REPLYs at query time
   * @param timeout how long to wait for an actor's answer
   * @param metrics the node's metrics ({@link #metricsText})
   * @param events told of every request handed to the node (live trace)
   * @param trace the live trace whose files {@code GET /trace} serves, or null when off
   */
  public ActorNodeFacade(ActorSystem<?> system, NodeComponents components, ProtocolParams params,
      NodeInfo info, BlockCommitCore blockCore, Duration timeout,
      org.bftlab.metrics.NodeMetrics metrics, org.bftlab.trace.NodeEvents events,
      org.bftlab.trace.LiveTrace trace) {
    this.trace = trace;
    this.metrics = metrics;
    this.events = events;
    this.system = system;
    this.components = components;
    this.params = params;
    this.info = info;
    this.blockCore = blockCore;
    this.timeout = timeout;
  }

  @Override
  public NodeInfo info() {
    return info;
  }

  private CompletionStage<SubmitResult> submitChecked(Request request) {
    String txId = request.txId();
    Digest digest = request.digest();
    return ledger(s -> s.tx(txId).map(rec -> {
      Request committed = s.block(rec.blockHeight()).orElseThrow().entries().get(rec.txIndex()).transaction();
      if (committed.digest().equals(digest)) {
        return (SubmitResult) new SubmitResult.AlreadyCommitted(status(s, txId));
      }
      return new SubmitResult.Conflict(txId, "(client " + request.client() + ", timestamp "
          + request.timestamp() + ") is already used by another transaction in block "
          + rec.blockHeight());
    })).thenCompose(known -> known.<CompletionStage<SubmitResult>>map(
        java.util.concurrent.CompletableFuture::completedFuture).orElseGet(() -> {
          // 202 only once the agreement round that took it has performed its outputs: the
          // request is queued (primary) or held, and relayed to every replica (issue 7)
          java.util.concurrent.CompletableFuture<Void> performed =
              new java.util.concurrent.CompletableFuture<>();
          components.agreement().tell(
              new ComponentActor.StepAcked<>(new Input.Submit(request), performed));
          return performed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
              .thenApply(v -> (SubmitResult) new SubmitResult.Accepted(txId));
        }));
  }

  @Override
  public CompletionStage<Optional<TxStatus>> transaction(String txId) {
    Optional<TxStatus> kept = components.committed().transaction(txId);
    if (kept.isPresent()) {
      return java.util.concurrent.CompletableFuture.completedFuture(kept);
    }
    return ledger(s -> s.tx(txId).map(rec -> status(s, txId)));
  }

  @Override
  public String metricsText(org.bftlab.api.HttpLoad http) {
    metrics.http(http.refusedPoolFull(), http.refusedRate(), http.inFlight());
    return metrics.scrape();
  }

  @Override
  public CompletionStage<SubmitResult> submit(Request request) {
    events.submitted(request);
    return submitChecked(request);
  }

  @Override
  public java.util.List<java.nio.file.Path> traceFiles() {
    if (trace == null) {
      return java.util.List.of();
    }
    try {
      return trace.files();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public AutoCloseable subscribe(
      java.util.function.Consumer<java.util.List<TxStatus>> listener) {
    return components.committed().subscribe(listener);
  }

  private TxStatus status(BlockCommitState s, String txId) {
    var rec = s.tx(txId).orElseThrow();
    return new TxStatus(txId, rec.blockHeight(), rec.txIndex(), rec.code(), rec.result(),
        blockCore.replyFor(s, txId).orElseThrow());
  }

  @Override
  public CompletionStage<Optional<Block>> block(long height) {
    return ledger(s -> s.block(height));
  }

  @Override
  public CompletionStage<org.bftlab.core.ledger.Receipt.Answer> receipt(String txId) {
    return ledger(s -> org.bftlab.core.ledger.Receipt.of(params.clusterId(), s, txId));
  }

  @Override
  public CompletionStage<Optional<Block>> head() {
    return ledger(BlockCommitState::head);
  }

  @Override
  public CompletionStage<NodeStatus> status() {
    CommittedIndex index = components.committed();
    if (index.seeded()) {
      CommittedIndex.Head h = index.head();
      return java.util.concurrent.CompletableFuture.completedFuture(new NodeStatus(info.nodeId(),
          info.clusterId(), h.view(), params.primary(h.view()), h.lastExecuted(), h.lastExecuted(),
          h.headHash(), h.stable(), h.stable() + params.watermarkWindow(), h.stable(),
          h.pendingView() > h.view(), h.pendingView()));
    }
    return statusFromActors().thenApply(st -> {
      index.seed(new CommittedIndex.Head(st.view(), st.pendingView(), st.lastExecutedSeqNo(),
          st.headHash(), st.lastStableCheckpoint()));
      return st;
    });
  }

  /** The status as the three actors hold it (asked once; then {@link CommittedIndex}). */
  private CompletionStage<NodeStatus> statusFromActors() {
    CompletionStage<AgreementView> a = ask(components.agreement(), s -> new AgreementView(
        s.lowWatermark(), s.highWatermark()));
    CompletionStage<ElectionView> e = ask(components.election(), s -> new ElectionView(
        s.view(), s.viewChangeInProgress(), s.pendingView()));
    CompletionStage<LedgerView> l = ledger(s -> new LedgerView(s.lastExecutedSeqNo(), s.height(),
        s.headHash(), s.lastStableCheckpoint()));
    return a.thenCompose(av -> e.thenCombine(l, (ev, lv) -> new NodeStatus(info.nodeId(),
        info.clusterId(), ev.view, params.primary(ev.view), lv.lastExecuted, lv.height,
        lv.headHash, av.low, av.high, lv.stable, ev.inProgress, ev.pending)));
  }

  @Override
  public void installFaults(String rules) {
    components.faults().install(FaultPlan.fromJson(rules));
  }

  @Override
  public String faults() {
    var plan = components.faults().plan();
    return plan.rules().isEmpty() ? "" : plan.rules().toString();
  }

  @Override
  public CompletionStage<Optional<StateEntry>> state(String contract, String key) {
    return ledger(s -> s.stateEntry(contract, key));
  }

  private record AgreementView(long low, long high) {}

  private record ElectionView(long view, boolean inProgress, long pending) {}

  private record LedgerView(long lastExecuted, long height, Digest headHash, long stable) {}

  private <R> CompletionStage<R> ledger(Function<BlockCommitState, R> read) {
    return ask(components.blockCommit(), read);
  }

  /**
   * Asks {@code ref} to run {@code read} on its state. The answer is moved onto a plain
   * {@link java.util.concurrent.CompletableFuture}: the stage Pekko returns (Scala's converter)
   * runs every dependent stage asynchronously, which on a 2-core machine (common pool
   * parallelism 1) means one new thread per callback.
   */
  private <S, R> CompletionStage<R> ask(ActorRef<ComponentActor.Command<S>> ref, Function<S, R> read) {
    CompletableFuture<R> out = new CompletableFuture<>();
    AskPattern.<ComponentActor.Command<S>, R>ask(ref,
        replyTo -> new ComponentActor.Query<>(read, replyTo), timeout, system.scheduler())
        .whenCompleteAsync((value, error) -> {
          if (error != null) {
            out.completeExceptionally(error);
          } else {
            out.complete(value);
          }
        }, Runnable::run);
    return out;
  }
}
