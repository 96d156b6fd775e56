package org.bftlab.core.model;

/**
 * A client's identity as listed in the genesis membership, e.g. {@code client-0}.
 *
 * @param value 1..64 characters of {@code [A-Za-z0-9._-]}
 */
public record ClientId(String value) implements Comparable<ClientId> {
  public ClientId {
    if (value == null || !value.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "client id must be 1..64 characters of [A-Za-z0-9._-], got: " + value);
    }
  }

  @Override
  public int compareTo(ClientId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
