package org.bftlab.api;

/** What the node did with a submitted request. */
public sealed interface SubmitResult {
  /** New: handed to agreement for ordering (HTTP 202). */
  record Accepted(String txId) implements SubmitResult {}

  /** The same request is already in the chain: a retransmission, answered from it (HTTP 200). */
  record AlreadyCommitted(TxStatus status) implements SubmitResult {}

  /** Another request with the same (client, timestamp) is in the chain (HTTP 409 DUPLICATE_TXID). */
  record Conflict(String txId, String reason) implements SubmitResult {}
}
