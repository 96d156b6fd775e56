package org.bftlab.core.ledger;

import java.util.Objects;

/**
 * One write of a write set (Fabric's read set / write set vocabulary): a put of a value or a
 * delete of a key in a contract's namespace.
 *
 * @param kind {@code PUT} or {@code DELETE}
 * @param contract the contract namespace; non-empty
 * @param key the key; non-empty
 * @param value the new value for a put; {@code ""} for a delete
 */
public record Write(Kind kind, String contract, String key, String value) {
  /** What a write does. */
  public enum Kind {
    PUT,
    DELETE
  }

  public Write {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    new StateKey(contract, key); // validates contract and key
    if (kind == Kind.DELETE && !value.isEmpty()) {
      throw new IllegalArgumentException("a DELETE carries no value, got '" + value + "'");
    }
  }

  /** A put of {@code value} at {@code contract/key}. */
  public static Write put(String contract, String key, String value) {
    return new Write(Kind.PUT, contract, key, value);
  }

  /** A delete of {@code contract/key}. */
  public static Write delete(String contract, String key) {
    return new Write(Kind.DELETE, contract, key, "");
  }

  /** The key this write touches. */
  public StateKey stateKey() {
    return new StateKey(contract, key);
  }
}
