package org.bftlab.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * An Ed25519 key pair in RFC 8032 raw form. Arrays are copied in and out; {@link #toString()}
 * never shows the private key.
 *
 * @param privateKey the 32-byte secret seed (RFC 8032 §5.1.5 "private key")
 * @param publicKey the 32-byte encoded public point A (RFC 8032 §5.1.5); must be the public key
 *     of {@code privateKey}
 * @throws IllegalArgumentException if a key is not 32 bytes or the public key does not belong to
 *     the private key
 */
public record Ed25519KeyPair(byte[] privateKey, byte[] publicKey) {
  public Ed25519KeyPair {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    if (privateKey.length != Ed25519.PRIVATE_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ed25519 private key must be 32 bytes, got " + privateKey.length);
    }
    if (publicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be 32 bytes, got " + publicKey.length);
    }
    privateKey = privateKey.clone();
    publicKey = publicKey.clone();
    if (!Arrays.equals(Ed25519.publicKeyOf(privateKey), publicKey)) {
      throw new IllegalArgumentException("public key does not belong to the private key");
    }
  }

  /** The key pair of a 32-byte private key (derives the public key, RFC 8032 §5.1.5). */
  public static Ed25519KeyPair fromPrivateKey(byte[] privateKey32) {
    return new Ed25519KeyPair(privateKey32, Ed25519.publicKeyOf(privateKey32));
  }

  /** A copy of the 32-byte private key. */
  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** A copy of the 32-byte public key. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key as base64 of its raw 32 bytes, the form used in the genesis file. */
  public String publicKeyBase64() {
    return KeyFiles.encodePublicKey(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519KeyPair other
        && Arrays.equals(privateKey, other.privateKey)
        && Arrays.equals(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair(public=" + publicKeyBase64() + ", private=<redacted>)";
  }
}
