package org.bftlab.core.ledger;

import java.util.Objects;
import org.bftlab.core.msg.ValidationCode;

/**
 * What a contract call gives: VALID with a result and a write set, CONTRACT_REJECTED with a
 * reason (the call is well formed but the contract refuses it: overdraft, not the owner, no such
 * key …), or MALFORMED with a reason (unknown operation, wrong argument count, bad number).
 *
 * @param code {@code VALID}, {@code CONTRACT_REJECTED} or {@code MALFORMED}
 * @param result the result for VALID, otherwise the reason; never null
 * @param writes the writes to apply; always {@link WriteSet#EMPTY} unless VALID
 */
public record ContractOutcome(ValidationCode code, String result, WriteSet writes) {
  public ContractOutcome {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(writes, "writes");
    if (code != ValidationCode.VALID && code != ValidationCode.CONTRACT_REJECTED
        && code != ValidationCode.MALFORMED) {
      throw new IllegalArgumentException("a contract gives VALID, CONTRACT_REJECTED or MALFORMED, "
          + "not " + code);
    }
    if (code != ValidationCode.VALID && writes.size() > 0) {
      throw new IllegalArgumentException("only a VALID outcome carries writes");
    }
  }

  /** VALID with {@code result} and {@code writes}. */
  public static ContractOutcome valid(String result, WriteSet writes) {
    return new ContractOutcome(ValidationCode.VALID, result, writes);
  }

  /** VALID, read-only. */
  public static ContractOutcome valid(String result) {
    return valid(result, WriteSet.EMPTY);
  }

  /** CONTRACT_REJECTED with {@code reason}. */
  public static ContractOutcome rejected(String reason) {
    return new ContractOutcome(ValidationCode.CONTRACT_REJECTED, reason, WriteSet.EMPTY);
  }

  /** MALFORMED with {@code reason}. */
  public static ContractOutcome malformed(String reason) {
    return new ContractOutcome(ValidationCode.MALFORMED, reason, WriteSet.EMPTY);
  }

  /**
   * This outcome with its result within {@link Contract#MAX_RESULT_LENGTH} characters: a VALID
   * result that is longer becomes CONTRACT_REJECTED (nothing written) with a reason naming the
   * call and the length; a longer reason of a failed call is cut to the cap, ending in "…".
   *
   * @param call what was called, for the reason, e.g. {@code kv.get}
   */
  public ContractOutcome capped(String call) {
    int max = Contract.MAX_RESULT_LENGTH;
    if (result.length() <= max) {
      return this;
    }
    if (valid()) {
      return rejected(call + " gives a result of " + result.length()
          + " characters, more than the " + max + " a block entry holds");
    }
    return new ContractOutcome(code, result.substring(0, max - 1) + "…", writes);
  }

  /** True for VALID. */
  public boolean valid() {
    return code == ValidationCode.VALID;
  }
}
