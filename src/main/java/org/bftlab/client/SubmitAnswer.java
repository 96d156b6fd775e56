package org.bftlab.client;

/**
 * A node's answer to one submitted transaction, whichever way it went: the HTTP status and body
 * of {@code POST /transactions}, or the same two from the {@code {"ack":…}} frame of a
 * transaction submitted on the reply WebSocket ({@code api.SubmitAck}).
 *
 * @param status 202, 200, or the refusal's HTTP status
 * @param body the JSON body: {@code AcceptedBody}, a {@code TxStatus}, or an error object
 */
public record SubmitAnswer(int status, String body) {}
