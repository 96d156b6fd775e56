package org.bftlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  @Test
  void sha256OfAbcIsTheFips180Vector() {
    assertThat(Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void acceptsOnly64LowercaseHexCharacters() {
    String ok = "0123456789abcdef".repeat(4);
    assertThat(new Digest(ok).hex()).isEqualTo(ok);
    for (String bad : new String[] {null, "", ok.substring(1), ok + "0", ok.toUpperCase(),
        ok.substring(1) + "g", ok.substring(1) + " ", ok.substring(1) + "/", ok.substring(1) + ":"}) {
      assertThatThrownBy(() -> new Digest(bad)).as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("64 lowercase hex characters");
    }
  }

  @Test
  void roundTripsThroughBytes() {
    Digest d = Digest.sha256(new byte[] {1, 2, 3});
    assertThat(Digest.ofBytes(d.bytes())).isEqualTo(d);
    assertThatThrownBy(() -> Digest.ofBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Digests are held as bytes (issue 9) but must behave exactly as the hex record did: equal iff
   * the hex is, the hex string's hash code (hash-map iteration orders, hence traces, unchanged),
   * and the hex strings' order. Seeded; the seed is printed.
   */
  @Test
  void behavesAsItsHexFormInEqualityHashAndOrder() {
    long seed = new java.util.Random().nextLong();
    System.out.println("DigestTest seed " + seed);
    java.util.Random rnd = new java.util.Random(seed);
    for (int i = 0; i < 500; i++) {
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      rnd.nextBytes(a);
      rnd.nextBytes(b);
      if (i % 5 == 0) {
        b = a.clone();
        b[31 - (i % 32)] ^= (byte) (1 << (i % 8)); // differ in one bit only
      }
      Digest x = Digest.ofBytes(a);
      Digest y = Digest.ofBytes(b);
      assertThat(x.hashCode()).as("seed %d", seed).isEqualTo(x.hex().hashCode());
      assertThat(Integer.signum(x.compareTo(y))).as("seed %d", seed)
          .isEqualTo(Integer.signum(x.hex().compareTo(y.hex())));
      assertThat(new Digest(x.hex())).isEqualTo(x).hasSameHashCodeAs(x);
      assertThat(x.equals(y)).isEqualTo(x.hex().equals(y.hex()));
    }
  }

  @Test
  void neverSharesItsBytes() {
    byte[] raw = new byte[32];
    Digest d = Digest.ofBytes(raw);
    raw[0] = 1;
    d.bytes()[1] = 1;
    assertThat(d).isEqualTo(Digest.ZERO);
  }
}
