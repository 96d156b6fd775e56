package org.bftlab.core.ledger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.model.ClientId;

/**
 * The registry of contracts by name; immutable. Calling a contract that is not registered is
 * CONTRACT_REJECTED (the request is well formed, this cluster just has no such contract).
 */
public final class Contracts {
  private final Map<String, Contract> byName;

  /**
   * A registry of {@code contracts}.
   *
   * @throws IllegalArgumentException if two contracts share a name
   */
  public Contracts(List<Contract> contracts) {
    Map<String, Contract> m = new TreeMap<>();
    for (Contract c : contracts) {
      if (m.put(c.name(), c) != null) {
        throw new IllegalArgumentException("two contracts named '" + c.name() + "'");
      }
    }
    this.byName = Map.copyOf(m);
  }

  /** The built-in contracts: {@code kv}, {@code token} and {@code portability}. */
  public static Contracts builtin() {
    return new Contracts(List.of(new KvContract(), new TokenContract(),
        new PortabilityContract()));
  }

  /** The contract named {@code name}, if registered. */
  public Optional<Contract> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Executes {@code contract.operation(args)}: the contract's outcome, or CONTRACT_REJECTED
   * {@code "unknown contract '<name>'"}; either with its result capped at {@link
   * Contract#MAX_RESULT_LENGTH} characters ({@link ContractOutcome#capped}).
   */
  public ContractOutcome execute(StateView state, ClientId caller, String contract,
      String operation, List<String> args) {
    Contract c = byName.get(contract);
    if (c == null) {
      return ContractOutcome.rejected("unknown contract '" + contract + "' (contracts: "
          + String.join(", ", new TreeMap<>(byName).keySet()) + ")").capped(contract);
    }
    ContractOutcome out = c.execute(state, caller, operation, args);
    for (Write w : out.writes().writes()) {
      if (!w.contract().equals(c.name())) {
        throw new IllegalStateException("contract '" + c.name() + "' wrote outside its namespace: "
            + w.stateKey());
      }
    }
    return out.capped(contract + "." + operation);
  }
}
