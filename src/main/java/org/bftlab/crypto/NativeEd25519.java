package org.bftlab.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * Ed25519 (RFC 8032 §5.1) in native code: AWS-LC through the Amazon Corretto Crypto Provider
 * (ACCP), measured here at ~30 µs per verification against Bouncy Castle's ~65–80 µs, and
 * ~8–11 µs per signature against ~35–40 µs (issue 9: Ed25519 verification was 41 % of a
 * replica's Java samples under load). {@link Ed25519} uses it where it loads and keeps Bouncy
 * Castle as the reference: a signature is valid exactly when Bouncy Castle says so (see
 * {@link Ed25519.VerifyingKey#verify}), so replicas with and without the native library never
 * disagree about a request.
 *
 * <p>Absent ({@link #available()} false) where ACCP's native library does not load: a platform
 * other than linux-x86_64, a temporary directory it cannot write its library to; or when the
 * system property {@value #PROPERTY} is {@code bc} (for A/B measurements). Read once, at class
 * initialisation. {@link #implementation()} says which one runs, for the node's startup log.
 *
 * <p>Keys cross as their standard encodings: a public key as X.509 SubjectPublicKeyInfo and a
 * private key as PKCS#8 (RFC 8410 §4, §7), through the JDK's own {@code Ed25519} key factory.
 * Thread-safe: each thread holds its own {@link Signature} objects.
 */
final class NativeEd25519 {
  /** System property: {@code bc} turns the native path off. */
  static final String PROPERTY = "bftlab.ed25519";

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), before the 32-byte key. */
  private static final byte[] SPKI_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  /** DER prefix of an Ed25519 PKCS#8 OneAsymmetricKey (RFC 8410 §7), before the 32-byte seed. */
  private static final byte[] PKCS8_PREFIX = {
      0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
      0x20};

  private static final Provider PROVIDER;
  private static final String IMPLEMENTATION;

  static {
    Provider provider = null;
    String why;
    if ("bc".equalsIgnoreCase(System.getProperty(PROPERTY, ""))) {
      why = "Bouncy Castle (-D" + PROPERTY + "=bc)";
    } else {
      try {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable error = accp.getLoadingError();
        if (error == null) {
          provider = selfTested(accp);
          why = "AWS-LC via Amazon Corretto Crypto Provider " + accp.getVersionStr() + " (native)";
        } else {
          why = "Bouncy Castle (native Ed25519 did not load: " + error + ")";
        }
      } catch (LinkageError | RuntimeException | GeneralSecurityException e) {
        provider = null;
        why = "Bouncy Castle (native Ed25519 did not load: " + e + ")";
      }
    }
    PROVIDER = provider;
    IMPLEMENTATION = why;
  }

  private static final ThreadLocal<Signature> VERIFIER = ThreadLocal.withInitial(() -> instance());
  private static final ThreadLocal<Signature> SIGNER = ThreadLocal.withInitial(() -> instance());

  private NativeEd25519() {}

  /** True when sign and verify run natively. */
  static boolean available() {
    return PROVIDER != null;
  }

  /** Which Ed25519 implementation signs and verifies, and why. */
  static String implementation() {
    return IMPLEMENTATION;
  }

  /** The native form of a 32-byte public key; empty when native code is off or refuses it. */
  static Optional<PublicKey> publicKey(byte[] publicKey32) {
    return decode(kf -> kf.generatePublic(
        new X509EncodedKeySpec(concat(SPKI_PREFIX, publicKey32))));
  }

  /** The native form of a 32-byte private key (seed); empty when native code is off. */
  static Optional<PrivateKey> privateKey(byte[] privateKey32) {
    return decode(kf -> kf.generatePrivate(
        new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, privateKey32))));
  }

  /** One key from the JDK's Ed25519 key factory; empty when native code is off or it fails. */
  private static <K> Optional<K> decode(KeyDecoder<K> decoder) {
    if (PROVIDER == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(decoder.decode(KeyFactory.getInstance("Ed25519")));
    } catch (GeneralSecurityException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @FunctionalInterface
  private interface KeyDecoder<K> {
    K decode(KeyFactory factory) throws GeneralSecurityException;
  }

  /**
   * AWS-LC's verdict (RFC 8032 §5.1.7, cofactorless: S < L and R equal, byte for byte, to the
   * encoding of [S]B − [k]A); false, never an exception, for anything it refuses.
   */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature s = VERIFIER.get();
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The 64-byte deterministic signature (RFC 8032 §5.1.6): the same bytes as Bouncy Castle's.
   *
   * @throws IllegalStateException if the native code fails (not expected once loaded; {@link
   *     Ed25519.SigningKey#sign} then signs with Bouncy Castle)
   */
  static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = SIGNER.get();
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException("native Ed25519 signing failed", e);
    }
  }

  private static Signature instance() {
    try {
      return Signature.getInstance("Ed25519", PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("native Ed25519 vanished after it loaded", e);
    }
  }

  /**
   * {@code provider} if it signs RFC 8032 §7.1 TEST 2 to the published signature and verifies
   * it; otherwise a {@link GeneralSecurityException}, and Bouncy Castle runs instead.
   */
  private static Provider selfTested(Provider provider) throws GeneralSecurityException {
    java.util.HexFormat hex = java.util.HexFormat.of();
    byte[] seed = hex.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    byte[] pub = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    byte[] expected = hex.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb6"
        + "9da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    byte[] message = {0x72};
    KeyFactory kf = KeyFactory.getInstance("Ed25519");
    Signature s = Signature.getInstance("Ed25519", provider);
    s.initSign(kf.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed))));
    s.update(message);
    byte[] got = s.sign();
    s.initVerify(kf.generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, pub))));
    s.update(message);
    if (!java.util.Arrays.equals(got, expected) || !s.verify(expected)) {
      throw new GeneralSecurityException("native Ed25519 failed RFC 8032 §7.1 TEST 2");
    }
    return provider;
  }

  private static byte[] concat(byte[] prefix, byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("Ed25519 key must be 32 bytes, got " + key.length);
    }
    byte[] out = new byte[prefix.length + 32];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(key, 0, out, prefix.length, 32);
    return out;
  }
}
