package org.bftlab.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;

/**
 * In-memory facade that records every submitted request. Submit answers from {@link #answers}
 * by txId, {@code Accepted} otherwise. State key "boom" throws; "fail" fails its stage.
 */
class FakeNodeFacade implements NodeFacade {
  final NodeInfo info;
  final List<Request> submitted = new CopyOnWriteArrayList<>();
  final Map<String, SubmitResult> answers = new ConcurrentHashMap<>();
  final Map<String, TxStatus> transactions = new ConcurrentHashMap<>();
  final Map<Long, Block> blocks = new ConcurrentHashMap<>();
  final Map<String, StateEntry> state = new ConcurrentHashMap<>();
  volatile NodeStatus status;
  volatile List<NetworkRule> faults = List.of();

  FakeNodeFacade(NodeInfo info) {
    this.info = info;
  }

  void reset() {
    submitted.clear();
    answers.clear();
    transactions.clear();
    blocks.clear();
    state.clear();
    faults = List.of();
  }

  @Override
  public void installFaults(String rules) {
    faults = FaultPlan.fromJson(rules).rules();
  }

  @Override
  public String faults() {
    return faults.isEmpty() ? "" : faults.toString();
  }

  @Override
  public NodeInfo info() {
    return info;
  }

  @Override
  public CompletionStage<SubmitResult> submit(Request request) {
    submitted.add(request);
    return CompletableFuture.completedFuture(
        answers.getOrDefault(request.txId(), new SubmitResult.Accepted(request.txId())));
  }

  @Override
  public CompletionStage<Optional<TxStatus>> transaction(String txId) {
    return CompletableFuture.completedFuture(Optional.ofNullable(transactions.get(txId)));
  }

  @Override
  public CompletionStage<Optional<Block>> block(long height) {
    return CompletableFuture.completedFuture(Optional.ofNullable(blocks.get(height)));
  }

  @Override
  public CompletionStage<Optional<Block>> head() {
    return CompletableFuture.supplyAsync(() -> blocks.keySet().stream().max(Long::compare)
        .map(blocks::get));
  }

  @Override
  public CompletionStage<NodeStatus> status() {
    return CompletableFuture.completedFuture(status);
  }

  @Override
  public CompletionStage<Optional<StateEntry>> state(String contract, String key) {
    if (key.equals("boom")) {
      throw new IllegalStateException("state store exploded");
    }
    if (key.equals("fail")) {
      return CompletableFuture.failedFuture(new RuntimeException("stage failed"));
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(state.get(contract + "/" + key)));
  }
}
