package org.bftlab.client;

import java.net.URI;

/**
 * A node's gateway refused a transaction, or no node could be reached.
 *
 * <p>Codes from the HTTP contract: {@code MALFORMED} (400), {@code WRONG_CLUSTER} (400),
 * {@code BAD_SIGNATURE} (401), {@code UNKNOWN_CLIENT} (403), {@code DUPLICATE_TXID} (409: another
 * request with the same (client, timestamp) is already committed), {@code TOO_LARGE} (413),
 * {@code UNAVAILABLE} (503, after every node was tried). Codes made up by the client:
 * {@link #UNREACHABLE} (HTTP status 0: no node answered at all) and {@link #BAD_RESPONSE} (a node
 * answered something that is not in the contract, e.g. a 500 or a body that does not parse).
 *
 * <p>Unchecked so that it can travel through a {@link java.util.concurrent.CompletableFuture};
 * it arrives there as the cause of an {@link java.util.concurrent.ExecutionException} or
 * {@link java.util.concurrent.CompletionException}.
 */
public final class SubmitRejected extends RuntimeException {
  /** Error code used when no node could be reached (connection refused, timeouts). */
  public static final String UNREACHABLE = "UNREACHABLE";
  /** Error code used when a node's answer is not in the HTTP contract. */
  public static final String BAD_RESPONSE = "BAD_RESPONSE";

  private final int httpStatus;
  private final String errorCode;
  private final String detail;
  private final URI node;

  /**
   * @param httpStatus the HTTP status (0 when no node answered)
   * @param errorCode the {@code "error"} field of the body, or a client-side code above
   * @param detail the {@code "message"} field of the body, or what went wrong
   * @param node the node that answered last (null when none did)
   */
  public SubmitRejected(int httpStatus, String errorCode, String detail, URI node) {
    super(errorCode + " (HTTP " + httpStatus + (node == null ? "" : " from " + node) + "): "
        + detail);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.detail = detail;
    this.node = node;
  }

  /** HTTP status; 0 when no node answered. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Error code, e.g. {@code BAD_SIGNATURE}. */
  public String errorCode() {
    return errorCode;
  }

  /** The node's message (or the client's explanation). */
  public String detail() {
    return detail;
  }

  /** The node that answered last; null when none did. */
  public URI node() {
    return node;
  }
}
