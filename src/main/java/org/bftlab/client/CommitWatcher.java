package org.bftlab.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.bftlab.core.msg.Request;

/**
 * Waits for a transaction's outcome to be certified by f+1 matching, verified replies from
 * distinct replicas (OSDI'99 §4.1). {@link PollingCommitWatcher} asks every node until then; a
 * watcher fed by pushed replies can replace it behind this interface.
 */
public interface CommitWatcher {
  /**
   * @param txId the transaction to watch
   * @param request the signed request, to re-send to every node when half of {@code timeout}
   *     passes without a certificate (OSDI'99 §4.1); null when only the txId is known
   * @param timeout how long to wait
   * @return completes with the certified outcome, or exceptionally with a
   *     {@link java.util.concurrent.TimeoutException} saying what each node answered, or an
   *     {@link IllegalStateException} when the client is closed
   */
  CompletableFuture<CommittedTx> await(String txId, Request request, Duration timeout);

  /**
   * As {@link #await(String, Request, Duration)} for a transaction this client has just sent, at
   * {@code submittedNanos} ({@link System#nanoTime()}), and a node accepted as new (202): a
   * watcher fed by pushed replies need not ask the replicas about a transaction sent after its
   * subscription opened, since every reply to it is pushed on that subscription. (A resent
   * request that some replicas executed before the subscription opened is confirmed by the
   * watcher's polling fallback.)
   */
  default CompletableFuture<CommittedTx> awaitSubmitted(String txId, Request request,
      Duration timeout, long submittedNanos) {
    return await(txId, request, timeout);
  }
}
