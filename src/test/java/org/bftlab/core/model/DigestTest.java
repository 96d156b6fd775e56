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
}
