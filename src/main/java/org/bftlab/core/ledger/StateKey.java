package org.bftlab.core.ledger;

import java.util.Comparator;
import java.util.Objects;

/**
 * A world-state key: a key inside a contract's namespace. Ordered by contract, then key
 * ({@link String#compareTo}, i.e. UTF-16 code units), which is the order {@link WorldState#root()}
 * hashes entries in, identically on every replica.
 *
 * @param contract the contract namespace, e.g. {@code token}; non-empty
 * @param key the key within that namespace; non-empty
 */
public record StateKey(String contract, String key) implements Comparable<StateKey> {
  private static final Comparator<StateKey> ORDER =
      Comparator.comparing(StateKey::contract).thenComparing(StateKey::key);

  public StateKey {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(key, "key");
    if (contract.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException("contract and key must be non-empty, got '" + contract
          + "'/'" + key + "'");
    }
  }

  @Override
  public int compareTo(StateKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return contract + "/" + key;
  }
}
