package org.bftlab.core.msg;

import java.util.Objects;

/**
 * One transaction in a block with the outcome of its validation and execution.
 *
 * @param transaction the client's signed request, exactly as ordered
 * @param code its validation code
 * @param result the contract's result for VALID transactions, otherwise the reason; never null
 */
public record BlockEntry(Request transaction, ValidationCode code, String result) {
  /**
   * Longest result (or reason) a block entry is given, in characters. Every replica stores it in
   * its block and ships it in STATE-RESPONSE, so the Artery frame ({@code codec.WireLimits}) and
   * the state-transfer budget ({@link StateResponse#budget}) count it at 3 bytes a character for
   * each request of a full batch. 4,096 lets a {@code kv get} return a value of a few KB; larger
   * values are read with {@code GET /state}.
   */
  public static final int MAX_RESULT_LENGTH = 4096;

  public BlockEntry {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(result, "result");
  }
}
