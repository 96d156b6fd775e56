package org.bftlab.core;

/** A component broke its contract ({@link ContractCheck}): a bug in the core, never in input. */
public final class ContractViolation extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ContractViolation(String message) {
    super(message);
  }
}
