package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @TempDir Path dir;

  @Test
  void privateKeyRoundTripAsPemPkcs8WithMode0600() throws Exception {
    Ed25519KeyPair kp = TestKeys.pair("node-0");
    Path f = dir.resolve("sub/node-0.key");
    KeyFiles.writePrivateKey(f, kp);
    String text = Files.readString(f);
    assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
    assertThat(KeyFiles.readPrivateKey(f)).isEqualTo(kp.privateKey());
    assertThat(KeyFiles.readKeyPair(f)).isEqualTo(kp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .isEqualTo("rw-------");
    }
    // overwrite keeps working and leaves no temporary files behind
    Ed25519KeyPair kp2 = Ed25519.generate(new SecureRandom());
    KeyFiles.writePrivateKey(f, kp2);
    assertThat(KeyFiles.readPrivateKey(f)).isEqualTo(kp2.privateKey());
    try (var files = Files.list(f.getParent())) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void readsTheRfc8410ExamplePrivateKey() throws Exception {
    // RFC 8410 §10.3
    Path f = dir.resolve("rfc8410.pem");
    Files.writeString(f, """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """);
    assertThat(HexFormat.of().formatHex(KeyFiles.readPrivateKey(f)))
        .isEqualTo("d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842");
  }

  @Test
  void writesExactlyTheRfc8410V1Form() throws Exception {
    Path f = dir.resolve("w.pem");
    KeyFiles.writePrivateKey(f, HexFormat.of().parseHex(
        "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"));
    assertThat(Files.readString(f)).isEqualToNormalizingNewlines("""
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """);
  }

  @Test
  void readsRfc5958V2KeysWithPublicKey() throws Exception {
    Ed25519KeyPair kp = TestKeys.pair("v2");
    var v2 = PrivateKeyInfoFactory.createPrivateKeyInfo(
        new Ed25519PrivateKeyParameters(kp.privateKey(), 0));
    assertThat(v2.getVersion().intValueExact()).isEqualTo(1);
    Path f = Files.writeString(dir.resolve("v2.pem"), KeyFiles.toPem(v2));
    assertThat(KeyFiles.readPrivateKey(f)).isEqualTo(kp.privateKey());
  }

  @Test
  void missingFileNamesTheFile() {
    Path f = dir.resolve("nope.key");
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(f))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void corruptFilesNameTheFileAndTheProblem() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.key"), "");
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(empty))
        .hasMessageStartingWith(empty + ": ").hasMessageContaining("empty");

    Path text = Files.writeString(dir.resolve("text.key"), "hello\n");
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(text))
        .hasMessageStartingWith(text + ": ").hasMessageContaining("not a PEM file");

    Path truncated = dir.resolve("truncated.key");
    KeyFiles.writePrivateKey(truncated, TestKeys.pair("x").privateKey());
    String pem = Files.readString(truncated);
    Files.writeString(truncated, pem.substring(0, pem.indexOf('\n') + 10));
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(truncated))
        .isInstanceOf(CryptoFileException.class).hasMessageStartingWith(truncated + ": ");

    Path garbage = Files.writeString(dir.resolve("garbage.key"),
        "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(garbage))
        .isInstanceOf(CryptoFileException.class).hasMessageStartingWith(garbage + ": ")
        .hasMessageContaining("malformed");
  }

  @Test
  void nonEd25519KeyIsRejected() throws Exception {
    Path f = dir.resolve("ed448.key");
    var info = PrivateKeyInfoFactory.createPrivateKeyInfo(
        new Ed448PrivateKeyParameters(new SecureRandom()));
    Files.writeString(f, KeyFiles.toPem(info));
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(f))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(f + ": ")
        .hasMessageContaining("1.3.101.113").hasMessageContaining("expected Ed25519");
  }

  @Test
  void certificateInPlaceOfKeyIsRejected() throws Exception {
    var ca = CertificateAuthority.create("c", TestKeys.pair("ca"),
        Instant.parse("2025-01-01T00:00:00Z"),
        Instant.parse("2035-01-01T00:00:00Z"), new SecureRandom());
    Path f = dir.resolve("ca.crt");
    KeyFiles.writeCertificate(f, ca.certificate());
    assertThat(KeyFiles.readCertificate(f)).isEqualTo(ca.certificate());
    assertThatThrownBy(() -> KeyFiles.readPrivateKey(f))
        .hasMessageStartingWith(f + ": ").hasMessageContaining("holds an X.509 certificate");
    Path key = dir.resolve("k.key");
    KeyFiles.writePrivateKey(key, TestKeys.pair("k"));
    assertThatThrownBy(() -> KeyFiles.readCertificate(key))
        .hasMessageStartingWith(key + ": ").hasMessageContaining("expected an X.509 certificate");
  }

  @Test
  void publicKeyBase64() {
    Ed25519KeyPair kp = TestKeys.pair("p");
    String b64 = KeyFiles.encodePublicKey(kp.publicKey());
    assertThat(b64).hasSize(44);
    assertThat(KeyFiles.decodePublicKey(b64)).isEqualTo(kp.publicKey());
    assertThatThrownBy(() -> KeyFiles.decodePublicKey("not base64!"))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> KeyFiles.decodePublicKey("AAAA"))
        .hasMessageContaining("must be 32 bytes").hasMessageContaining("got 3 bytes");
  }
}
