package org.bftlab.crypto;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Ed25519 (pure EdDSA over edwards25519, RFC 8032 §5.1): Bouncy Castle's lightweight API as the
 * reference, with AWS-LC in native code ({@link NativeEd25519}) for the work where it loads.
 *
 * <p>Shapes: private keys are the 32-byte secret seed, public keys the 32-byte point encoding,
 * signatures 64 bytes (R ‖ S). Signing is deterministic (RFC 8032 §5.1.6): the same key and
 * message always give the same signature, which the {@link org.bftlab.core.msg.Authenticator}
 * contract requires.
 *
 * <p>Speed: verification runs for every protocol message. The static {@link #verify} keeps a
 * bounded cache of decoded public keys; holders of a fixed key (the genesis membership, a
 * replica's own key) should use {@link VerifyingKey} and {@link SigningKey}, which decode the
 * key once. This calls {@code Ed25519PrivateKeyParameters.sign} / {@code
 * Ed25519PublicKeyParameters.verify} directly: the same computation as {@code
 * org.bouncycastle.crypto.signers.Ed25519Signer}, without its copy of the message into a buffer.
 * {@link SigningKey} and {@link VerifyingKey} sign and verify natively where {@link
 * NativeEd25519#available()}: the same signatures, and the same verdicts (see {@link
 * VerifyingKey#verify}). All methods are thread-safe.
 */
public final class Ed25519 {
  /** Length of a private key (secret seed), bytes. */
  public static final int PRIVATE_KEY_BYTES = Ed25519PrivateKeyParameters.KEY_SIZE;
  /** Length of a public key, bytes. */
  public static final int PUBLIC_KEY_BYTES = Ed25519PublicKeyParameters.KEY_SIZE;
  /** Length of a signature, bytes. */
  public static final int SIGNATURE_BYTES = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;

  /** Pure Ed25519, no context, no pre-hash (RFC 8032 §5.1). */
  private static final int ALGORITHM = org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519;

  /** Marker for a cached key that failed to decode. */
  private static final VerifyingKey INVALID = new VerifyingKey(null, new byte[0], null);

  private Ed25519() {}

  /**
   * Which implementation signs and verifies through {@link SigningKey} and {@link VerifyingKey}:
   * AWS-LC (native) or Bouncy Castle, and why; for a node's startup log.
   */
  public static String implementation() {
    return NativeEd25519.implementation();
  }

  /** A fresh key pair from {@code random} (32 random bytes as the secret seed). */
  public static Ed25519KeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(random);
    return new Ed25519KeyPair(priv.getEncoded(), priv.generatePublicKey().getEncoded());
  }

  /**
   * The 32-byte public key of a 32-byte private key (RFC 8032 §5.1.5).
   *
   * @throws IllegalArgumentException if {@code privateKey32} is not 32 bytes
   */
  public static byte[] publicKeyOf(byte[] privateKey32) {
    return privateParams(privateKey32).generatePublicKey().getEncoded();
  }

  /**
   * Signs {@code message} (RFC 8032 §5.1.6). Decodes the key on every call: for repeated
   * signing with one key use {@link #signingKey(byte[])}.
   *
   * @return the 64-byte signature
   * @throws IllegalArgumentException if {@code privateKey32} is not 32 bytes
   */
  public static byte[] sign(byte[] privateKey32, byte[] message) {
    return new SigningKey(privateParams(privateKey32)).sign(message);
  }

  /**
   * True when {@code signature} is a valid signature of {@code message} under {@code
   * publicKey32} (RFC 8032 §5.1.7, with Bouncy Castle's checks: canonical S, A and R decode).
   * Never throws: null arguments, a key that is not 32 bytes or not a curve point, and a
   * signature that is not 64 bytes all give false. Decodes the key on every call: for repeated
   * verification under one key use {@link #verifyingKey(byte[])}.
   */
  public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature) {
    if (publicKey32 == null || publicKey32.length != PUBLIC_KEY_BYTES) {
      return false;
    }
    VerifyingKey key = tryVerifyingKey(publicKey32, false);
    return key != INVALID && key.verify(message, signature);
  }

  /** True when {@code publicKey32} is 32 bytes that decode to a point of edwards25519. */
  public static boolean isValidPublicKey(byte[] publicKey32) {
    return publicKey32 != null && publicKey32.length == PUBLIC_KEY_BYTES
        && tryVerifyingKey(publicKey32, false) != INVALID;
  }

  /**
   * A reusable signer for one private key.
   *
   * @throws IllegalArgumentException if {@code privateKey32} is not 32 bytes
   */
  public static SigningKey signingKey(byte[] privateKey32) {
    return new SigningKey(privateParams(privateKey32));
  }

  /**
   * A reusable verifier for one public key.
   *
   * @throws IllegalArgumentException if {@code publicKey32} is not 32 bytes or not a point of
   *     edwards25519
   */
  public static VerifyingKey verifyingKey(byte[] publicKey32) {
    Objects.requireNonNull(publicKey32, "publicKey32");
    if (publicKey32.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ed25519 public key must be 32 bytes, got " + publicKey32.length);
    }
    VerifyingKey key = tryVerifyingKey(publicKey32, true);
    if (key == INVALID) {
      throw new IllegalArgumentException("32 bytes that are not an Ed25519 public key "
          + "(not the encoding of a point of edwards25519)");
    }
    return key;
  }

  /**
   * The key, or {@link #INVALID}; with {@code nativeToo} also its native form, for a canonical
   * key of prime order only (there a native "valid" is one Bouncy Castle gives too). A one-off
   * check ({@link #verify(byte[], byte[], byte[])}) is not worth the native key's conversion.
   */
  private static VerifyingKey tryVerifyingKey(byte[] publicKey32, boolean nativeToo) {
    Ed25519PublicKeyParameters params;
    try {
      params = new Ed25519PublicKeyParameters(publicKey32, 0);
    } catch (IllegalArgumentException e) {
      return INVALID;
    }
    boolean fast = nativeToo
        && org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(publicKey32, 0);
    return new VerifyingKey(params, publicKey32.clone(),
        fast ? NativeEd25519.publicKey(publicKey32).orElse(null) : null);
  }

  private static Ed25519PrivateKeyParameters privateParams(byte[] privateKey32) {
    Objects.requireNonNull(privateKey32, "privateKey32");
    if (privateKey32.length != PRIVATE_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ed25519 private key must be 32 bytes, got " + privateKey32.length);
    }
    return new Ed25519PrivateKeyParameters(privateKey32, 0);
  }

  /**
   * One private key, decoded once; its public key is derived once and cached by Bouncy Castle.
   * Thread-safe. {@code toString} does not show the key.
   */
  public static final class SigningKey {
    private final Ed25519PrivateKeyParameters params;
    private final Ed25519PublicKeyParameters publicParams;
    /** The same key for {@link NativeEd25519}, or null where it does not run. */
    private final java.security.PrivateKey nativeKey;

    private SigningKey(Ed25519PrivateKeyParameters params) {
      this.params = params;
      this.publicParams = params.generatePublicKey();
      this.nativeKey = NativeEd25519.privateKey(params.getEncoded()).orElse(null);
    }

    /**
     * The 64-byte deterministic signature of {@code message} (RFC 8032 §5.1.6); native where
     * available, the same bytes either way.
     */
    public byte[] sign(byte[] message) {
      Objects.requireNonNull(message, "message");
      if (nativeKey != null) {
        try {
          return NativeEd25519.sign(nativeKey, message);
        } catch (RuntimeException e) {
          // not expected once loaded; Bouncy Castle gives the same bytes
        }
      }
      byte[] sig = new byte[SIGNATURE_BYTES];
      params.sign(ALGORITHM, publicParams, null, message, 0, message.length, sig, 0);
      return sig;
    }

    /** The 32-byte public key. */
    public byte[] publicKey() {
      return publicParams.getEncoded();
    }

    @Override
    public String toString() {
      return "Ed25519.SigningKey(public=" + KeyFiles.encodePublicKey(publicKey()) + ")";
    }
  }

  /** One public key, decoded once. Thread-safe. */
  public static final class VerifyingKey {
    private final Ed25519PublicKeyParameters params;
    private final byte[] encoded;
    /** The same key for {@link NativeEd25519}, or null where it does not run. */
    private final java.security.PublicKey nativeKey;

    private VerifyingKey(Ed25519PublicKeyParameters params, byte[] encoded,
        java.security.PublicKey nativeKey) {
      this.params = params;
      this.encoded = encoded;
      this.nativeKey = nativeKey;
    }

    /**
     * True when {@code signature} is valid for {@code message} by Bouncy Castle's rules (RFC 8032
     * §5.1.7: S < L, canonical A and R, the group equation); false (never an exception) for null
     * arguments or a signature that is not 64 bytes.
     *
     * <p>AWS-LC answers first where it runs, and only for a key that passes Bouncy Castle's full
     * validation (canonical, in the prime-order subgroup). It accepts only when S < L and R is,
     * byte for byte, the encoding of [S]B − [k]A; Bouncy Castle accepts every such signature
     * under such a key (R is then canonical and the equation holds exactly), so a native "valid"
     * is final. A native "invalid" is checked again by Bouncy Castle, whose verdict stands: the
     * verdict is Bouncy Castle's on every input, also for the edge cases (small-order
     * components, non-canonical encodings) on which Ed25519 implementations differ (Chalkias et
     * al., "Taming the many EdDSAs", SSR 2020). Replicas with and without the native library
     * agree. An honest signature costs one native verification; a bad one costs both.
     */
    public boolean verify(byte[] message, byte[] signature) {
      if (message == null || signature == null || signature.length != SIGNATURE_BYTES) {
        return false;
      }
      if (nativeKey != null && NativeEd25519.verify(nativeKey, message, signature)) {
        return true;
      }
      try {
        return params.verify(ALGORITHM, null, message, 0, message.length, signature, 0);
      } catch (RuntimeException e) {
        return false;
      }
    }

    /** The 32-byte public key. */
    public byte[] publicKey() {
      return encoded.clone();
    }

    @Override
    public String toString() {
      return "Ed25519.VerifyingKey(" + KeyFiles.encodePublicKey(encoded) + ")";
    }
  }
}
