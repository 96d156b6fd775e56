package org.bftlab.client;

import java.util.List;
import org.bftlab.core.msg.ValidationCode;

/**
 * A transaction outcome that f+1 distinct replicas reported identically — at least one of them
 * is correct, so the outcome is the one the correct replicas committed (Castro &amp; Liskov,
 * OSDI'99 §4.1: "the client waits for f+1 replies with valid signatures from different
 * replicas, and with the same t and r").
 *
 * @param txId the transaction id
 * @param blockHeight the height of the block that holds it (>= 1)
 * @param txIndex its index in that block, as the first matching replica reported it
 * @param validationCode its validation code, e.g. {@code VALID}, {@code CONTRACT_REJECTED}
 * @param result the contract's result or rejection reason
 * @param confirmedBy the replicas whose replies matched (e.g. {@code node-0}), at least f+1
 * @param dissent replicas that reported something else, or whose replies were invalid, one
 *     sentence each; empty in a fault-free run
 * @param retransmitted true when the request was re-sent to all nodes after half the timeout
 * @param elapsedMs milliseconds from the start of the wait to the (f+1)-th matching reply
 */
public record CommittedTx(String txId, long blockHeight, int txIndex,
    ValidationCode validationCode, String result, List<String> confirmedBy, List<String> dissent,
    boolean retransmitted, long elapsedMs) {
  public CommittedTx {
    confirmedBy = List.copyOf(confirmedBy);
    dissent = List.copyOf(dissent);
  }
}
