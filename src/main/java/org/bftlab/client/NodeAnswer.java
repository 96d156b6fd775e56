package org.bftlab.client;

import org.bftlab.api.TxStatus;
import org.bftlab.core.msg.ValidationCode;

/**
 * What one node last answered about a transaction while a client waits for its outcome: a
 * counted reply, or why there is none. Only {@link Invalid} answers are dissent (a node that
 * answered something that does not count); the others are merely "not yet".
 */
sealed interface NodeAnswer {
  /** One sentence for a timeout message. */
  String describe();

  /** The node could not be reached (connection refused, reset, HTTP timeout). */
  record Unreachable(String detail) implements NodeAnswer {
    @Override
    public String describe() {
      return detail;
    }
  }

  /** 404: the transaction is not in that node's chain yet. */
  record NotYet() implements NodeAnswer {
    @Override
    public String describe() {
      return "not committed there yet (404)";
    }
  }

  /** Another HTTP status (e.g. 500, 503). */
  record HttpStatus(int status) implements NodeAnswer {
    @Override
    public String describe() {
      return "HTTP " + status;
    }
  }

  /** A 200 that does not count: unreadable, for another txId, mismatched or badly signed. */
  record Invalid(String why) implements NodeAnswer {
    @Override
    public String describe() {
      return why;
    }
  }

  /**
   * A reply that counts.
   *
   * @param voter the replica that signed it (or the node URL when replies are not verified and
   *     the status carries none)
   * @param outcome what replies must match on
   * @param status the full status, for the block index
   */
  record Counted(String voter, Outcome outcome, TxStatus status) implements NodeAnswer {
    @Override
    public String describe() {
      return voter + " reported " + outcome;
    }
  }

  /** What replies must match on: block height, validation code and result. */
  record Outcome(long blockHeight, ValidationCode code, String result) {
    @Override
    public String toString() {
      return "height " + blockHeight + ", " + code + ", \"" + result + "\"";
    }
  }
}
