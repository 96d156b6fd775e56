package org.bftlab.crypto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One operator in the genesis membership: only listed admins may call a node's admin routes
 * ({@code /admin/*}), with requests signed by their key ({@code org.bftlab.api.AdminAuth}).
 * An admin is neither a replica nor a client: its key signs no transaction and no protocol
 * message, and a client's or replica's key is never an admin's.
 *
 * @param id e.g. {@code admin-0}: 1..64 characters of {@code [A-Za-z0-9._-]}
 * @param publicKey base64 (RFC 4648) of its raw 32-byte Ed25519 public key (RFC 8032)
 * @throws IllegalArgumentException naming the admin and the problem
 */
@JsonPropertyOrder({"id", "publicKey"})
public record GenesisAdmin(String id, String publicKey) {
  /** Pattern every admin id matches. */
  public static final String ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

  public GenesisAdmin {
    if (id == null) {
      throw new IllegalArgumentException("admin: id is missing");
    }
    if (!id.matches(ID_PATTERN)) {
      throw new IllegalArgumentException("admin id must be 1..64 characters of [A-Za-z0-9._-], "
          + "got \"" + id + '"');
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
