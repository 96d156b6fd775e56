package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * The native Ed25519 path ({@link NativeEd25519}) against Bouncy Castle, the reference: the same
 * signatures (RFC 8032 §5.1.6 is deterministic) and the same verdicts, on honest signatures and
 * on the edge cases where Ed25519 implementations are known to differ (Chalkias et al., "Taming
 * the many EdDSAs", SSR 2020: non-canonical S and R, small-order R).
 */
class NativeEd25519Test {
  private static final HexFormat HEX = HexFormat.of();
  private static final int ED25519 = org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519;
  /** The order of the prime-order subgroup, L = 2^252 + 27742317777372353535851937790883648493. */
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  /** Encodings of low-order points and non-canonical encodings (y ≥ p) of some of them. */
  private static final List<String> ODD_POINTS = List.of(
      "0100000000000000000000000000000000000000000000000000000000000000", // identity
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
      "0000000000000000000000000000000000000000000000000000000000000000", // order 4
      "0000000000000000000000000000000000000000000000000000000000000080", // order 4
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"); // y = 2^255 - 1

  @Test
  void nativeCodeRunsOnLinuxX8664() {
    // on the machines bftlab is built and benchmarked on, the fast path is the one tested here
    boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
        && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    assertThat(NativeEd25519.available())
        .as("native Ed25519 on %s/%s: %s", System.getProperty("os.name"),
            System.getProperty("os.arch"), NativeEd25519.implementation())
        .isEqualTo(linuxX64);
    assertThat(Ed25519.implementation()).contains(linuxX64 ? "AWS-LC" : "Bouncy Castle");
  }

  @Test
  void signaturesAreBouncyCastlesByteForByte() {
    long seed = System.nanoTime();
    System.out.println("NativeEd25519Test.signaturesAreBouncyCastlesByteForByte seed=" + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 200; i++) {
      byte[] secret = bytes(random, 32);
      byte[] message = bytes(random, random.nextInt(600));
      Ed25519PrivateKeyParameters bc = new Ed25519PrivateKeyParameters(secret, 0);
      byte[] expected = new byte[64];
      bc.sign(ED25519, null, message, 0, message.length, expected, 0);
      assertThat(Ed25519.signingKey(secret).sign(message)).as("seed %d, #%d", seed, i)
          .isEqualTo(expected);
    }
  }

  @Test
  void verdictsAreBouncyCastlesOnHonestAndForgedSignatures() {
    long seed = System.nanoTime();
    System.out.println("NativeEd25519Test.verdictsAreBouncyCastles seed=" + seed);
    Random random = new Random(seed);
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < 40; i++) {
      byte[] secret = bytes(random, 32);
      Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(secret, 0);
      byte[] pub = priv.generatePublicKey().getEncoded();
      byte[] message = bytes(random, 1 + random.nextInt(300));
      byte[] sig = new byte[64];
      priv.sign(ED25519, null, message, 0, message.length, sig, 0);
      Ed25519.VerifyingKey key = Ed25519.verifyingKey(pub);
      for (byte[][] c : cases(random, message, sig)) {
        boolean reference = new Ed25519PublicKeyParameters(pub, 0)
            .verify(ED25519, null, c[0], 0, c[0].length, c[1], 0);
        assertThat(key.verify(c[0], c[1]))
            .as("seed %d, key %s, sig %s", seed, HEX.formatHex(pub), HEX.formatHex(c[1]))
            .isEqualTo(reference);
        if (reference) {
          valid++;
        } else {
          invalid++;
        }
      }
    }
    assertThat(valid).as("honest signatures").isEqualTo(40);
    assertThat(invalid).as("forged ones").isGreaterThan(40 * 20);
  }

  @Test
  void aKeyWithALowOrderComponentGetsBouncyCastlesVerdictsWhereCofactoredAndPlainDiffer() {
    // C2SP/CCTV ed25519vectors.json #4-#7: a public key with a low-order component (accepted as
    // a point, refused by full validation) and signatures whose R has one too; #4 and #6 verify
    // only with the cofactored equation, which AWS-LC does not use and Bouncy Castle does here
    byte[] key = HEX.parseHex("10eb7c3acfb2bed3e0d6ab89bf5a3d6afddd1176ce4812e38d9fd485058fdb1f");
    String[][] vectors = {
        {"ed25519vectors 7", "0000000000000000000000000000000000000000000000000000000000000000"
            + "5e176f12cfb0d4e6eb6929b19ae4c998ef05c1c2cf628a9b1fa1c21312627108"},
        {"ed25519vectors 3", "0000000000000000000000000000000000000000000000000000000000000000"
            + "9472a69cd9a701a50d130ed52189e2455b23767db52cacb8716fb896ffeeac09"},
        {"ed25519vectors 10", "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56b"
            + "c02e2b9e63e385c058bf62b14b3a2b29ccefe8e38ddb536bc3f9865320a3d801"},
        {"ed25519vectors", "36684ea91032ba5b1dbab2d02f4debc74c3327f2b3802e2e4d371aa42b12b56b"
            + "bbfd00bd9c259d8d222d15e67a3d8228585050dbb9b9585be20d8fadc721da03"}};
    assertThat(Ed25519.isValidPublicKey(key)).isTrue();
    assertThat(org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(key, 0)).isFalse();
    Ed25519.VerifyingKey verifying = Ed25519.verifyingKey(key);
    for (String[] v : vectors) {
      byte[] message = v[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] sig = HEX.parseHex(v[1]);
      boolean reference = new Ed25519PublicKeyParameters(key, 0)
          .verify(ED25519, null, message, 0, message.length, sig, 0);
      assertThat(verifying.verify(message, sig)).as(v[0]).isEqualTo(reference);
      assertThat(Ed25519.verify(key, message, sig)).as(v[0]).isEqualTo(reference);
    }
  }

  @Test
  void aMalleatedSIsRefusedByTheNativeCodeItself() {
    // RFC 8032 §5.1.7 step 1: "if ... S is not in [0, L) ... the signature is invalid". The
    // native "valid" is taken as final, so it must never accept S + L.
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(new byte[32], 0);
    byte[] message = "PRE-PREPARE v=0 n=1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] sig = new byte[64];
    priv.sign(ED25519, null, message, 0, message.length, sig, 0);
    byte[] pub = priv.generatePublicKey().getEncoded();
    java.security.PublicKey key = NativeEd25519.publicKey(pub).orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(key != null, NativeEd25519.implementation());
    assertThat(NativeEd25519.verify(key, message, sig)).isTrue();
    assertThat(NativeEd25519.verify(key, message, withS(sig, s(sig).add(L)))).isFalse();
  }

  /** {message, signature} pairs: the honest one, then forgeries of every kind. */
  private static List<byte[][]> cases(Random random, byte[] message, byte[] sig) {
    List<byte[][]> out = new ArrayList<>();
    out.add(new byte[][] {message, sig});
    for (int bit = 0; bit < 512; bit += 37) { // flips across R and S
      byte[] s = sig.clone();
      s[bit / 8] ^= (byte) (1 << (bit % 8));
      out.add(new byte[][] {message, s});
    }
    byte[] m = message.clone();
    m[random.nextInt(m.length)] ^= 1;
    out.add(new byte[][] {m, sig});
    BigInteger s = s(sig);
    out.add(new byte[][] {message, withS(sig, s.add(L))});
    out.add(new byte[][] {message, withS(sig, L)});
    out.add(new byte[][] {message, withS(sig, BigInteger.ZERO)});
    out.add(new byte[][] {message, withS(sig, BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE))});
    for (String point : ODD_POINTS) {
      byte[] r = sig.clone();
      System.arraycopy(HEX.parseHex(point), 0, r, 0, 32);
      out.add(new byte[][] {message, r});
      out.add(new byte[][] {message, withS(r, BigInteger.ZERO)});
    }
    out.add(new byte[][] {message, new byte[64]});
    return out;
  }

  private static BigInteger s(byte[] sig) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = sig[63 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] withS(byte[] sig, BigInteger s) {
    byte[] out = sig.clone();
    byte[] be = s.toByteArray();
    java.util.Arrays.fill(out, 32, 64, (byte) 0);
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[32 + i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
