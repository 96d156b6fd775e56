package org.bftlab.api;

/**
 * The body of every error response: {@code {"error": "<CODE>", "message": "<what and why>"}}.
 *
 * @param error a stable upper-case code a client can switch on, e.g. {@code MALFORMED},
 *     {@code TOO_LARGE}, {@code WRONG_CLUSTER}, {@code UNKNOWN_CLIENT}, {@code BAD_SIGNATURE},
 *     {@code DUPLICATE_TXID}, {@code NOT_FOUND}, {@code METHOD_NOT_ALLOWED}, {@code UNAVAILABLE},
 *     {@code INTERNAL}
 * @param message a sentence for a human: what is wrong and why
 */
public record ErrorBody(String error, String message) {}
