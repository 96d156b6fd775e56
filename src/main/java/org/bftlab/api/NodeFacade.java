package org.bftlab.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;

/**
 * What the HTTP API needs from a running node. Implemented by the node's actors (ask pattern);
 * a test may implement it in memory. Every stage completes exceptionally only when the node
 * does not answer in time ({@link java.util.concurrent.TimeoutException}).
 */
public interface NodeFacade {
  /** Static facts: cluster id, this node, n and f. */
  NodeInfo info();

  /**
   * Hands a request that passed the gateway checks to the node: new ones are ordered; a
   * transaction id already in the chain is answered from there.
   */
  CompletionStage<SubmitResult> submit(Request request);

  /** The committed status of a transaction, empty if it is not in this node's chain. */
  CompletionStage<Optional<TxStatus>> transaction(String txId);

  /**
   * Calls {@code listener} once per block this node executes from now on, with the status (and
   * signed REPLY) of each transaction the block executed, in block order (never empty), on a
   * node thread (it must not block); closing the handle stops it. The default pushes nothing.
   */
  default AutoCloseable subscribe(
      java.util.function.Consumer<java.util.List<TxStatus>> listener) {
    return () -> { };
  }

  /**
   * The node's metrics in the Prometheus text format 0.0.4 ({@code GET /metrics}; names in
   * {@code org.bftlab.metrics.NodeMetrics}); the default has none (empty text).
   *
   * @param http the HTTP request pool's counts, to be reported with the node's own
   */
  default String metricsText(HttpLoad http) {
    return "";
  }

  /**
   * This node's live-trace files, oldest first ({@code GET /trace}; NDJSON lines of
   * {@code org.bftlab.trace.LiveTrace}); empty when the trace is off (the default).
   */
  default java.util.List<java.nio.file.Path> traceFiles() {
    return java.util.List.of();
  }

  /** The block at {@code height}, empty if this node has none there. */
  CompletionStage<Optional<Block>> block(long height);

  /**
   * The receipt of {@code txId} ({@link org.bftlab.core.ledger.Receipt}): found, unknown here,
   * or committed but not yet covered by a stable checkpoint. Default: unknown (a facade without
   * a chain).
   */
  default CompletionStage<org.bftlab.core.ledger.Receipt.Answer> receipt(String txId) {
    return java.util.concurrent.CompletableFuture.completedFuture(
        new org.bftlab.core.ledger.Receipt.UnknownTx(txId));
  }

  /** The head block, empty before the first block. */
  CompletionStage<Optional<Block>> head();

  /** The node's protocol status. */
  CompletionStage<NodeStatus> status();

  /**
   * Installs network fault rules on this node's outgoing messages (windows in ticks from now),
   * replacing those in force; {@code []} heals. For fault-injection experiments on a live
   * cluster.
   *
   * @param rules a JSON array of network rules in the scenario files' format
   *     (e.g. {@code [{"rule":"drop","probability":1.0,"types":["COMMIT"],"until":500}]})
   * @throws IllegalArgumentException when the text or a rule is invalid; nothing changes then
   */
  void installFaults(String rules);

  /** The fault rules in force on this node's outgoing messages, as text (empty when none). */
  String faults();

  /** The world-state entry {@code contract/key}, empty if absent. */
  CompletionStage<Optional<StateEntry>> state(String contract, String key);

  /**
   * Whether this node has joined and caught up ({@code GET /ready}, see {@link Readiness}).
   * The default knows nothing of peers and answers not ready; the running node serves the real
   * check ({@code org.bftlab.node.k8s.ReadinessProbe}).
   */
  default CompletionStage<Readiness> readiness() {
    return CompletableFuture.completedFuture(Readiness.notReady(
        info().nodeId(), "readiness is not known to this node facade"));
  }
}
