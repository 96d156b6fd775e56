package org.bftlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.bftlab.api.TxStatus;
import org.bftlab.core.msg.Request;

/**
 * Submission with failover: a request goes to one node, chosen round-robin; on a connection
 * error, an HTTP timeout or a 503 it goes to the next node, each node at most once. Any other
 * answer is final (202 accepted, 200 already committed, or the node's rejection). Thread-safe.
 */
final class Failover {
  private final List<URI> nodes;
  private final NodeHttp http;
  private final AtomicInteger nextNode = new AtomicInteger();

  Failover(List<URI> nodes, NodeHttp http) {
    this.nodes = List.copyOf(nodes);
    this.http = http;
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
    http.post(node, body).whenComplete((resp, err) -> {
      if (err != null) {
        failures.add(node + ": " + NodeHttp.describe(err));
        attempt(request, body, start, tried + 1, failures, sawUnavailable, result);
      } else if (resp.statusCode() == 503) {
        failures.add(node + ": 503 " + NodeHttp.errorOf(resp).message());
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

  private static SubmitReceipt receiptOf(Request request, URI node, int attempts,
      HttpResponse<String> resp) {
    int code = resp.statusCode();
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
    NodeHttp.ErrorBody err = NodeHttp.errorOf(resp);
    throw new SubmitRejected(code, err.code(), err.message(), node);
  }
}
