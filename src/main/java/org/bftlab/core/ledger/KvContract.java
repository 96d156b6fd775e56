package org.bftlab.core.ledger;

import java.util.List;
import java.util.Optional;
import org.bftlab.core.model.ClientId;

/**
 * The {@code kv} contract: a shared key-value map.
 *
 * <ul>
 *   <li>{@code put(key, value)} → VALID {@code "ok"}, writes {@code kv/key = value};
 *   <li>{@code get(key)} → VALID with the value, or CONTRACT_REJECTED {@code "no such key: <key>"};
 *   <li>{@code delete(key)} → VALID {@code "ok"}, or CONTRACT_REJECTED {@code "no such key: <key>"}.
 * </ul>
 *
 * Keys are 1..256 characters; any other operation or argument count is MALFORMED.
 */
public final class KvContract implements Contract {
  /** The contract name and namespace. */
  public static final String NAME = "kv";

  private static final java.util.Map<String, Integer> ARITIES = Contract.arities(
      "put", 2, "get", 1, "delete", 1);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ContractOutcome execute(StateView state, ClientId caller, String operation,
      List<String> args) {
    ContractOutcome shape = Contract.shapeProblem(NAME, ARITIES, operation, args);
    if (shape != null) {
      return shape;
    }
    String key = args.get(0);
    String problem = Contract.keyProblem("key", key);
    if (problem != null) {
      return ContractOutcome.malformed(problem);
    }
    Optional<String> current = state.value(NAME, key);
    return switch (operation) {
      case "put" -> ContractOutcome.valid("ok", WriteSet.of(Write.put(NAME, key, args.get(1))));
      case "get" -> current.map(ContractOutcome::valid)
          .orElseGet(() -> ContractOutcome.rejected("no such key: " + key));
      default -> current.isPresent()
          ? ContractOutcome.valid("ok", WriteSet.of(Write.delete(NAME, key)))
          : ContractOutcome.rejected("no such key: " + key);
    };
  }
}
