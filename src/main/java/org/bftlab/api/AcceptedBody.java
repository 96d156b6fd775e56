package org.bftlab.api;

/**
 * The 202 body of {@code POST /transactions} for a new request:
 * {@code {"txId":"<64 hex>","status":"ACCEPTED"}}. Acceptance means "handed to agreement", not
 * committed: poll {@code GET /transactions/{txId}} or collect f+1 matching replies.
 *
 * @param txId the transaction id
 * @param status always {@code ACCEPTED}
 */
public record AcceptedBody(String txId, String status) {
  /** {@code {"txId": txId, "status": "ACCEPTED"}}. */
  public static AcceptedBody accepted(String txId) {
    return new AcceptedBody(txId, "ACCEPTED");
  }
}
