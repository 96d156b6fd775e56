package org.bftlab.core.msg;

import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;

/**
 * The signing seam between the pure core and key material. The node supplies an Ed25519
 * implementation (Bouncy Castle, {@code org.bftlab.crypto}); tests and the simulator may supply
 * a cheaper deterministic one. Implementations must be deterministic: the same payload signed
 * twice gives the same signature (Ed25519 is, RFC 8032 §5.1.6).
 */
public interface Authenticator {
  /** Signs {@code payload} with this replica's private key; returns the signature bytes. */
  byte[] sign(byte[] payload);

  /**
   * True when {@code signature} is {@code signer}'s valid signature over {@code payload}. An
   * unknown signer or a malformed signature gives false, never an exception.
   */
  boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature);

  /** True when {@code signature} is {@code client}'s valid signature; false for unknown clients. */
  boolean verifyClient(ClientId client, byte[] payload, byte[] signature);

  /** True when {@code client} is listed in the genesis membership. */
  boolean knowsClient(ClientId client);
}
