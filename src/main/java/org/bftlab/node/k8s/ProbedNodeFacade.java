package org.bftlab.node.k8s;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.bftlab.api.NodeFacade;
import org.bftlab.api.NodeInfo;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.Readiness;
import org.bftlab.api.SubmitResult;
import org.bftlab.api.TxStatus;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;

/** A {@link NodeFacade} that answers {@link #readiness()} from a {@link ReadinessProbe}. */
public final class ProbedNodeFacade implements NodeFacade {
  private final NodeFacade node;
  private final ReadinessProbe probe;

  public ProbedNodeFacade(NodeFacade node, ReadinessProbe probe) {
    this.node = node;
    this.probe = probe;
  }

  @Override
  public CompletionStage<Readiness> readiness() {
    return probe.readiness();
  }

  @Override
  public NodeInfo info() {
    return node.info();
  }

  @Override
  public CompletionStage<SubmitResult> submit(Request request) {
    return node.submit(request);
  }

  @Override
  public CompletionStage<Optional<TxStatus>> transaction(String txId) {
    return node.transaction(txId);
  }

  @Override
  public java.util.List<java.nio.file.Path> traceFiles() {
    return node.traceFiles();
  }

  @Override
  public String metricsText(org.bftlab.api.HttpLoad http) {
    return node.metricsText(http);
  }

  @Override
  public AutoCloseable subscribe(
      java.util.function.Consumer<java.util.List<TxStatus>> listener) {
    return node.subscribe(listener);
  }

  @Override
  public CompletionStage<Optional<Block>> block(long height) {
    return node.block(height);
  }

  @Override
  public CompletionStage<Optional<Block>> head() {
    return node.head();
  }

  @Override
  public CompletionStage<org.bftlab.core.ledger.Receipt.Answer> receipt(String txId) {
    return node.receipt(txId);
  }

  @Override
  public CompletionStage<NodeStatus> status() {
    return node.status();
  }

  @Override
  public void installFaults(String rules) {
    node.installFaults(rules);
  }

  @Override
  public String faults() {
    return node.faults();
  }

  @Override
  public CompletionStage<Optional<StateEntry>> state(String contract, String key) {
    return node.state(contract, key);
  }
}
