package org.bftlab.api;

/**
 * What a node made of one submitted transaction body: the status and body {@code POST
 * /transactions} answers with. On the reply WebSocket ({@code GET /replies}, issue 9) a
 * transaction submitted as a text frame is answered with the frame
 * {@code {"ack":{"txId":…,"status":…,"body":…}}}.
 *
 * @param txId the transaction id; null when the body did not parse far enough to have one
 * @param status 202 (accepted for ordering), 200 (already committed), or the HTTP status of the
 *     refusal (400, 401, 403, 409, 413, 429, 500, 503; see {@link ApiError})
 * @param body {@link AcceptedBody} for 202, the committed {@link TxStatus} for 200, an
 *     {@link ErrorBody} otherwise
 */
public record SubmitAck(String txId, int status, Object body) {
  /** The refusal {@code error} of the transaction {@code txId} (null when unknown). */
  static SubmitAck refused(String txId, ApiError error) {
    return new SubmitAck(txId, error.status(), error.body());
  }
}
