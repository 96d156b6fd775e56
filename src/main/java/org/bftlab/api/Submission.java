package org.bftlab.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.bftlab.core.msg.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction body from a client, checked by the {@link Gateway} and handed to the node:
 * the decision behind {@code POST /transactions} and behind a transaction submitted on the
 * reply WebSocket ({@link ReplyPush}), so both doors answer alike. Thread-safe.
 */
final class Submission {
  private static final Logger LOG = LoggerFactory.getLogger(Submission.class);

  private final Gateway gateway;
  private final NodeFacade facade;
  private final Duration timeout;

  /**
   * @param timeout how long the node may take to take the request before the answer is 503
   */
  Submission(Gateway gateway, NodeFacade facade, Duration timeout) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.facade = Objects.requireNonNull(facade, "facade");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The largest body taken, in bytes ({@link Gateway#maxBodyBytes()}). */
  long maxBodyBytes() {
    return gateway.maxBodyBytes();
  }

  /**
   * The gateway's checks on {@code body} (the raw JSON of a {@link TransactionBody}), then the
   * node's answer: 202 {@link AcceptedBody}, 200 the committed {@link TxStatus}, 409 a
   * conflicting duplicate, 503 when the node does not answer within the timeout, 500 on an
   * unexpected failure (logged), or the gateway's refusal. Never throws, never completes
   * exceptionally.
   */
  CompletionStage<SubmitAck> submit(byte[] body) {
    Gateway.Admission admission;
    try {
      admission = gateway.admit(body);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(internal(null, e));
    }
    if (admission instanceof Gateway.Admission.Refused refused) {
      return CompletableFuture.completedFuture(SubmitAck.refused(refused.txId(), refused.error()));
    }
    Request request = ((Gateway.Admission.Admitted) admission).request();
    String txId = request.txId();
    CompletableFuture<SubmitResult> answer = NodeCalls.bounded(() -> facade.submit(request),
        timeout);
    return answer.handle((result, failure) -> {
      if (failure != null) {
        Throwable cause = NodeCalls.unwrap(failure);
        return cause instanceof TimeoutException
            ? SubmitAck.refused(txId, ApiError.unavailable("the node did not answer within "
                + timeout.toMillis() + " ms; try again later"))
            : internal(txId, cause);
      }
      if (result instanceof SubmitResult.Accepted a) {
        return new SubmitAck(a.txId(), 202, AcceptedBody.accepted(a.txId()));
      } else if (result instanceof SubmitResult.AlreadyCommitted c) {
        return new SubmitAck(txId, 200, c.status());
      } else if (result instanceof SubmitResult.Conflict c) {
        return SubmitAck.refused(txId,
            ApiError.duplicate("transaction " + c.txId() + ": " + c.reason()));
      }
      return internal(txId, new IllegalStateException("facade answered submit with " + result));
    });
  }

  private static SubmitAck internal(String txId, Throwable e) {
    LOG.warn("submission: unexpected failure", e);
    String what = e.getMessage() == null ? e.getClass().getName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return SubmitAck.refused(txId, ApiError.internal("unexpected failure: " + what));
  }
}
