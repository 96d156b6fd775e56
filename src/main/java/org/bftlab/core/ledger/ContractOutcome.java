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

  /** True for VALID. */
  public boolean valid() {
    return code == ValidationCode.VALID;
  }
}
