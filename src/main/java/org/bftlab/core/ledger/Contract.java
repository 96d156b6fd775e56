package org.bftlab.core.ledger;

import java.util.List;
import org.bftlab.core.model.ClientId;

/**
 * A built-in contract (Fabric's chaincode, deterministic and in-process). A contract reads the
 * world state through a {@link StateView} and returns its writes; it never changes state itself,
 * so a rejected or malformed call changes nothing. Implementations must be deterministic: the
 * same view, caller, operation and arguments always give the same outcome on every replica (no
 * clock, no randomness, no hash-map iteration order in results). A contract writes only into its
 * own namespace ({@link #name()}).
 */
public interface Contract {
  /** Longest key a built-in contract accepts, in characters. */
  int MAX_KEY_LENGTH = 256;

  /**
   * Longest result (or reason) a call may give, in characters: {@link
   * org.bftlab.core.msg.BlockEntry#MAX_RESULT_LENGTH}, what a block entry holds. A longer VALID
   * result makes the call CONTRACT_REJECTED, a longer reason is cut ({@link
   * ContractOutcome#capped}).
   */
  int MAX_RESULT_LENGTH = org.bftlab.core.msg.BlockEntry.MAX_RESULT_LENGTH;

  /** The contract's name, which is also its world-state namespace, e.g. {@code token}. */
  String name();

  /**
   * Executes {@code operation(args)} for {@code caller}.
   *
   * @param state the world state as of this transaction (earlier transactions of the same block
   *     included)
   * @param caller the client that signed the request
   * @param operation the operation name, e.g. {@code transfer}
   * @param args the operation's arguments
   * @return VALID with result and writes, CONTRACT_REJECTED with a reason, or MALFORMED for an
   *     unknown operation or a wrong argument shape; never null, never throws for bad input
   */
  ContractOutcome execute(StateView state, ClientId caller, String operation, List<String> args);

  /**
   * Null when {@code operation} is one of {@code arities}' keys and {@code args} has its arity;
   * otherwise MALFORMED {@code "<contract> has no operation '<op>' (operations: a, b)"} or
   * {@code "<contract>.<op> takes N argument(s), got M"}.
   *
   * @param arities operation name → argument count, in the order the message lists them
   */
  static ContractOutcome shapeProblem(String contract, java.util.Map<String, Integer> arities,
      String operation, List<String> args) {
    Integer arity = arities.get(operation);
    if (arity == null) {
      return ContractOutcome.malformed(contract + " has no operation '" + operation
          + "' (operations: " + String.join(", ", arities.keySet()) + ")");
    }
    if (args.size() != arity) {
      return ContractOutcome.malformed(contract + "." + operation + " takes " + arity
          + " argument(s), got " + args.size());
    }
    return null;
  }

  /**
   * An operation table for {@link #shapeProblem}: {@code ("put", 2, "get", 1)} → put → 2,
   * get → 1, unmodifiable, in the order given.
   *
   * @throws IllegalArgumentException unless the arguments alternate name and argument count
   */
  static java.util.Map<String, Integer> arities(Object... nameThenCount) {
    java.util.LinkedHashMap<String, Integer> m = new java.util.LinkedHashMap<>();
    if (nameThenCount.length % 2 != 0) {
      throw new IllegalArgumentException("arities: pairs of name and count expected");
    }
    for (int i = 0; i < nameThenCount.length; i += 2) {
      m.put((String) nameThenCount[i], (Integer) nameThenCount[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Null when {@code key} is a usable key, otherwise the reason it is not. */
  static String keyProblem(String what, String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      return what + " must be 1.." + MAX_KEY_LENGTH + " characters, got " + key.length();
    }
    return null;
  }
}
