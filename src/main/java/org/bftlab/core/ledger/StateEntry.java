package org.bftlab.core.ledger;

import java.util.Objects;

/**
 * One world-state entry as a query returns it.
 *
 * @param contract the contract namespace, e.g. {@code token}
 * @param key the key within that namespace
 * @param value the current value
 * @param version the (height, txIndex) that last wrote it
 */
public record StateEntry(String contract, String key, String value, Version version) {
  public StateEntry {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
  }
}
