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
  public BlockEntry {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(result, "result");
  }
}
