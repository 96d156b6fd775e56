package org.bftlab.crypto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bftlab.core.model.ClientId;

/**
 * One client in the genesis membership: only listed clients may submit transactions.
 *
 * @param id e.g. {@code client-0}
 * @param publicKey base64 (RFC 4648) of its raw 32-byte Ed25519 public key (RFC 8032)
 * @throws IllegalArgumentException naming the client and the problem
 */
@JsonPropertyOrder({"id", "publicKey"})
public record GenesisClient(ClientId id, String publicKey) {
  public GenesisClient {
    if (id == null) {
      throw new IllegalArgumentException("client: id is missing");
    }
    try {
      KeyFiles.decodePublicKey(publicKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
  }

  /** The raw 32-byte public key. */
  @JsonIgnore
  public byte[] publicKeyBytes() {
    return KeyFiles.decodePublicKey(publicKey);
  }
}
