package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 8032 §7.1, TEST 1 (empty message)
  private static final byte[] SECRET =
      HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] PUBLIC =
      HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final byte[] SIGNATURE = HEX.parseHex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

  // RFC 8032 §7.1, TEST 2 (one byte 0x72)
  private static final byte[] SECRET2 =
      HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  private static final byte[] PUBLIC2 =
      HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  private static final byte[] SIGNATURE2 = HEX.parseHex(
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

  private static final byte[] MSG = "PREPARE v=0 n=1".getBytes(StandardCharsets.UTF_8);

  @Test
  void rfc8032Test1EmptyMessage() {
    assertThat(Ed25519.publicKeyOf(SECRET)).isEqualTo(PUBLIC);
    assertThat(Ed25519.sign(SECRET, new byte[0])).isEqualTo(SIGNATURE);
    assertThat(Ed25519.verify(PUBLIC, new byte[0], SIGNATURE)).isTrue();
    assertThat(Ed25519.signingKey(SECRET).sign(new byte[0])).isEqualTo(SIGNATURE);
    assertThat(Ed25519.verifyingKey(PUBLIC).verify(new byte[0], SIGNATURE)).isTrue();
  }

  @Test
  void rfc8032Test2OneByte() {
    byte[] m = {0x72};
    assertThat(Ed25519.publicKeyOf(SECRET2)).isEqualTo(PUBLIC2);
    assertThat(Ed25519.sign(SECRET2, m)).isEqualTo(SIGNATURE2);
    assertThat(Ed25519.verify(PUBLIC2, m, SIGNATURE2)).isTrue();
  }

  @Test
  void agreesWithBouncyCastleEd25519Signer() {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(SECRET2, 0));
    signer.update(MSG, 0, MSG.length);
    assertThat(Ed25519.sign(SECRET2, MSG)).isEqualTo(signer.generateSignature());
  }

  @Test
  void signVerifyRoundTripIsDeterministic() {
    Ed25519KeyPair kp = Ed25519.generate(new SecureRandom());
    assertThat(kp.privateKey()).hasSize(32);
    assertThat(kp.publicKey()).hasSize(32);
    byte[] sig = Ed25519.sign(kp.privateKey(), MSG);
    assertThat(sig).hasSize(64);
    assertThat(Ed25519.sign(kp.privateKey(), MSG)).isEqualTo(sig);
    assertThat(Ed25519.verify(kp.publicKey(), MSG, sig)).isTrue();
  }

  @Test
  void tamperedMessageSignatureOrWrongKeyFail() {
    Ed25519KeyPair kp = TestKeys.pair("a");
    Ed25519KeyPair other = TestKeys.pair("b");
    byte[] sig = Ed25519.sign(kp.privateKey(), MSG);

    byte[] msg2 = MSG.clone();
    msg2[3] ^= 1;
    assertThat(Ed25519.verify(kp.publicKey(), msg2, sig)).isFalse();

    for (int i : new int[] {0, 31, 32, 63}) {
      byte[] sig2 = sig.clone();
      sig2[i] ^= 0x10;
      assertThat(Ed25519.verify(kp.publicKey(), MSG, sig2)).as("bit flip at %d", i).isFalse();
    }
    assertThat(Ed25519.verify(other.publicKey(), MSG, sig)).isFalse();
  }

  @Test
  void malformedInputsGiveFalseNeverThrow() {
    byte[] sig = Ed25519.sign(SECRET, MSG);
    assertThat(Ed25519.verify(new byte[31], MSG, sig)).isFalse();
    assertThat(Ed25519.verify(new byte[33], MSG, sig)).isFalse();
    assertThat(Ed25519.verify(null, MSG, sig)).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MSG, new byte[63])).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MSG, new byte[65])).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MSG, new byte[0])).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MSG, null)).isFalse();
    assertThat(Ed25519.verify(PUBLIC, null, sig)).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MSG, new byte[64])).isFalse();
    // y = 2 is not on edwards25519: not a public key
    byte[] notAPoint = new byte[32];
    notAPoint[0] = 2;
    assertThat(Ed25519.isValidPublicKey(notAPoint)).isFalse();
    assertThat(Ed25519.verify(notAPoint, MSG, sig)).isFalse();
    assertThat(Ed25519.verify(notAPoint, MSG, sig)).isFalse(); // cached as invalid
    assertThatThrownBy(() -> Ed25519.verifyingKey(notAPoint))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an Ed25519");
    assertThatThrownBy(() -> Ed25519.sign(new byte[31], MSG))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes, got 31");
  }

  @Test
  void verifyCacheDoesNotAliasCallerArrays() {
    byte[] pk = PUBLIC.clone();
    byte[] sig = Ed25519.sign(SECRET, MSG);
    assertThat(Ed25519.verify(pk, MSG, sig)).isTrue();
    pk[0] ^= 1; // mutate the caller's array after it was cached
    assertThat(Ed25519.verify(PUBLIC, MSG, sig)).isTrue();
  }

  @Test
  void keyPairChecksConsistencyAndRedactsPrivateKey() {
    Ed25519KeyPair kp = Ed25519KeyPair.fromPrivateKey(SECRET);
    assertThat(kp.publicKey()).isEqualTo(PUBLIC);
    assertThat(kp.toString()).doesNotContain(HEX.formatHex(SECRET)).contains("redacted");
    assertThat(kp).isEqualTo(Ed25519KeyPair.fromPrivateKey(SECRET.clone()));
    assertThatThrownBy(() -> new Ed25519KeyPair(SECRET, PUBLIC2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
  }
}
