package org.bftlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bftlab.api.TxStatus;
import org.bftlab.core.msg.Request;

/**
 * Submission with failover: a request goes to one node, chosen round-robin; on a connection
 * error, an HTTP timeout or a 503 it goes to the next node, each node at most once. Any other
 * answer is final (202 accepted, 200 already committed, or the node's rejection). Thread-safe.
 *
 * <p>To each node the request goes on the client's reply WebSocket when one is open to it
 * ({@link ReplySubscription#submit}, issue 9: no HTTP request per transaction), else as
 * {@code POST /transactions}. A socket that closes first gets the POST instead (the same
 * signed request: a node that took it already answers 202 or 200 again); a node that does not
 * acknowledge within the request timeout counts as failed, and the next node is tried.
 */
final class Failover {
  private final List<URI> nodes;
  private final NodeHttp http;
  private final Supplier<ReplySubscription> sockets;
  private final AtomicInteger nextNode = new AtomicInteger();

  /**
   * @param sockets the client's reply subscription, or null while it has none (then POST)
   */
  Failover(List<URI> nodes, NodeHttp http, Supplier<ReplySubscription> sockets) {
    this.nodes = List.copyOf(nodes);
    this.http = http;
    this.sockets = sockets;
  }

  /** The next node in round-robin order (for single-node queries too). */
  URI next() {
    return nodes.get(Math.floorMod(nextNode.getAndIncrement(), nodes.size()));
  }

  /**
   * Posts {@code request} to the next node, then to the others in turn while they fail.
   *
   * @return the receipt; or fails with {@link SubmitRejected}: the node's code and message, code
   *     {@code UNAVAILABLE} (503) when every node was unavailable and at least one said so, or
   *     {@link SubmitRejected#UNREACHABLE} (status 0) when no node answered at all
   */
  CompletableFuture<SubmitReceipt> submit(Request request) {
    byte[] body = NodeHttp.bodyOf(request);
    int start = Math.floorMod(nextNode.getAndIncrement(), nodes.size());
    CompletableFuture<SubmitReceipt> result = new CompletableFuture<>();
    attempt(request, body, start, 0, new ArrayList<>(), false, result);
    return result;
  }

  private void attempt(Request request, byte[] body, int start, int tried, List<String> failures,
      boolean sawUnavailable, CompletableFuture<SubmitReceipt> result) {
    if (tried == nodes.size()) {
      String why = "no node took the transaction " + request.txId() + ": "
          + String.join("; ", failures);
      result.completeExceptionally(sawUnavailable
          ? new SubmitRejected(503, "UNAVAILABLE", why, null)
          : new SubmitRejected(0, SubmitRejected.UNREACHABLE, why, null));
      return;
    }
    URI node = nodes.get((start + tried) % nodes.size());
    send(node, request.txId(), body).whenComplete((resp, err) -> {
      if (err != null) {
        failures.add(node + ": " + NodeHttp.describe(err));
        attempt(request, body, start, tried + 1, failures, sawUnavailable, result);
      } else if (resp.status() == 503) {
        failures.add(node + ": 503 " + NodeHttp.errorOf(resp.status(), resp.body()).message());
        attempt(request, body, start, tried + 1, failures, true, result);
      } else {
        try {
          result.complete(receiptOf(request, node, tried + 1, resp));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    });
  }

  /** On the reply socket to {@code node} if one is open, else (or when it fails) by POST. */
  private CompletableFuture<SubmitAnswer> send(URI node, String txId, byte[] body) {
    ReplySubscription sub = sockets == null ? null : sockets.get();
    if (sub != null && sub.canSubmit(node)) {
      // no ack in time: the next node, as after an HTTP timeout; a closed socket: POST here
      return sub.submit(node, txId, body, http.requestTimeout()).exceptionallyCompose(e ->
          NodeHttp.unwrap(e) instanceof java.util.concurrent.TimeoutException
              ? CompletableFuture.failedFuture(e) : post(node, body));
    }
    return post(node, body);
  }

  private CompletableFuture<SubmitAnswer> post(URI node, byte[] body) {
    return http.post(node, body).thenApply(r -> new SubmitAnswer(r.statusCode(), r.body()));
  }

  private static SubmitReceipt receiptOf(Request request, URI node, int attempts,
      SubmitAnswer resp) {
    int code = resp.status();
    if (code == 202) {
      return new SubmitReceipt(request.txId(), node, attempts, null);
    }
    if (code == 200) {
      TxStatus status;
      try {
        status = NodeHttp.JSON.readValue(resp.body(), TxStatus.class);
      } catch (JsonProcessingException e) {
        throw new SubmitRejected(200, SubmitRejected.BAD_RESPONSE,
            "200 body is not a TxStatus: " + e.getOriginalMessage(), node);
      }
      return new SubmitReceipt(request.txId(), node, attempts, status);
    }
    NodeHttp.ErrorBody err = NodeHttp.errorOf(resp.status(), resp.body());
    throw new SubmitRejected(code, err.code(), err.message(), node);
  }
}
