package org.bftlab.step;

/**
 * A message that left the in-flight set: an arrow of the Lamport diagram.
 *
 * @param message the message
 * @param doneStep the step at which it was delivered or dropped
 * @param fate {@code delivered}, {@code dropped} (by the student) or {@code lost} (to a crashed
 *     replica)
 */
public record Arrow(InFlight message, int doneStep, String fate) {}
