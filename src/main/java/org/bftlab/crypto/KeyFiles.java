package org.bftlab.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Key and certificate files.
 *
 * <ul>
 *   <li>Private keys: PEM ({@code -----BEGIN PRIVATE KEY-----}) around an unencrypted PKCS#8
 *       {@code PrivateKeyInfo} with algorithm id-Ed25519 (1.3.101.112) and the 32-byte seed as
 *       {@code CurvePrivateKey} (RFC 8410 §7, RFC 5958). The same format as {@code openssl
 *       genpkey -algorithm ed25519}, so either tool reads the other's keys. Written with mode
 *       0600 where the file system supports POSIX permissions.
 *   <li>Public keys in the genesis file: standard base64 (RFC 4648 §4, with padding) of the raw
 *       32 bytes (RFC 8032 §5.1.5), 44 characters.
 *   <li>Certificates: PEM {@code -----BEGIN CERTIFICATE-----} (RFC 7468 §5).
 * </ul>
 *
 * <p>Written keys are the RFC 8410 v1 form that {@code openssl genpkey -algorithm ed25519}
 * writes; reading also accepts RFC 5958 v2 keys carrying the public key (Bouncy Castle's
 * default). Every read failure is a {@link CryptoFileException} whose message names the file and the
 * problem.
 */
public final class KeyFiles {
  private KeyFiles() {}

  /**
   * Writes {@code privateKey32} as PEM PKCS#8 to {@code file}, replacing it if it exists; mode
   * 0600 (owner read/write) on POSIX file systems. The file is written to a temporary sibling
   * and moved into place, so a crash never leaves half a key.
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static void writePrivateKey(Path file, byte[] privateKey32) throws IOException {
    Objects.requireNonNull(file, "file");
    writeSecret(file, toPem(pkcs8(privateKey32)));
  }

  /**
   * The PKCS#8 {@code PrivateKeyInfo} of a 32-byte Ed25519 private key: version 0 (v1), no
   * public key, exactly RFC 8410 §7 / §10.3. (Bouncy Castle's {@code PrivateKeyInfoFactory}
   * writes version 1 with the public key attached, RFC 5958 {@code OneAsymmetricKey}, which
   * OpenSSL 3.0 refuses to load; both forms are accepted on reading.)
   */
  static PrivateKeyInfo pkcs8(byte[] privateKey32) {
    checkLength(privateKey32, Ed25519.PRIVATE_KEY_BYTES, "private key");
    try {
      return new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
          new DEROctetString(privateKey32));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an Ed25519 PKCS#8 key", e);
    }
  }

  /** Writes the private key of {@code pair}; see {@link #writePrivateKey(Path, byte[])}. */
  public static void writePrivateKey(Path file, Ed25519KeyPair pair) throws IOException {
    writePrivateKey(file, pair.privateKey());
  }

  /**
   * Reads a PEM PKCS#8 Ed25519 private key.
   *
   * @return the 32-byte private key (seed)
   * @throws CryptoFileException if the file is missing or unreadable, is not PEM, holds
   *     something other than an unencrypted PKCS#8 private key, or holds a key of another
   *     algorithm than Ed25519
   */
  public static byte[] readPrivateKey(Path file) throws CryptoFileException {
    Object pem = readSinglePem(file, "an Ed25519 private key");
    if (pem instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new CryptoFileException(file, "the private key is encrypted; bftlab needs an "
          + "unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
    }
    if (pem instanceof PEMKeyPair pair) {
      throw new CryptoFileException(file, "holds a legacy key pair of algorithm "
          + pair.getPrivateKeyInfo().getPrivateKeyAlgorithm().getAlgorithm()
          + "; expected an Ed25519 PKCS#8 key (1.3.101.112)");
    }
    if (!(pem instanceof PrivateKeyInfo info)) {
      throw new CryptoFileException(file, "holds " + describe(pem)
          + ", expected an Ed25519 private key (-----BEGIN PRIVATE KEY-----)");
    }
    var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (!EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
      throw new CryptoFileException(file, "holds a private key of algorithm " + algorithm
          + ", expected Ed25519 (1.3.101.112)");
    }
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new CryptoFileException(file, "malformed Ed25519 private key: " + e.getMessage(), e);
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed)) {
      throw new CryptoFileException(file, "malformed Ed25519 private key");
    }
    return ed.getEncoded();
  }

  /** Reads a private key and derives its key pair; see {@link #readPrivateKey(Path)}. */
  public static Ed25519KeyPair readKeyPair(Path file) throws CryptoFileException {
    return Ed25519KeyPair.fromPrivateKey(readPrivateKey(file));
  }

  /**
   * Base64 (RFC 4648 §4) of a raw 32-byte public key: the genesis file's form.
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static String encodePublicKey(byte[] publicKey32) {
    return Base64.getEncoder().encodeToString(
        checkLength(publicKey32, Ed25519.PUBLIC_KEY_BYTES, "public key"));
  }

  /**
   * Decodes a genesis-file public key.
   *
   * @return the raw 32 bytes
   * @throws IllegalArgumentException naming the problem: not base64, not 32 bytes, or not a
   *     point of edwards25519
   */
  public static byte[] decodePublicKey(String base64) {
    if (base64 == null || base64.isEmpty()) {
      throw new IllegalArgumentException("public key is missing");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key is not valid base64 (" + e.getMessage()
          + "): " + abbreviate(base64));
    }
    if (raw.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("public key must be 32 bytes (44 base64 characters), "
          + "got " + raw.length + " bytes: " + abbreviate(base64));
    }
    if (!Ed25519.isValidPublicKey(raw)) {
      throw new IllegalArgumentException(
          "public key is not an Ed25519 point (edwards25519): " + base64);
    }
    return raw;
  }

  /** Writes a certificate as PEM (readable by anyone: mode is the file system default). */
  public static void writeCertificate(Path file, X509CertificateHolder certificate)
      throws IOException {
    writePublic(file, toPem(certificate));
  }

  /**
   * Reads a PEM X.509 certificate.
   *
   * @throws CryptoFileException if the file is missing, unreadable, not PEM or not a certificate
   */
  public static X509CertificateHolder readCertificate(Path file) throws CryptoFileException {
    Object pem = readSinglePem(file, "an X.509 certificate");
    if (!(pem instanceof X509CertificateHolder cert)) {
      throw new CryptoFileException(file, "holds " + describe(pem)
          + ", expected an X.509 certificate (-----BEGIN CERTIFICATE-----)");
    }
    return cert;
  }

  /** PEM text of {@code object} (a certificate or a {@code PrivateKeyInfo}). */
  static String toPem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("cannot PEM-encode " + object.getClass().getSimpleName(), e);
    }
    return out.toString();
  }

  /** Parses a single PEM object from text; {@code source} names it in error messages. */
  static Object parsePem(String text, String source) {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o = parser.readObject();
      if (o == null) {
        throw new IllegalArgumentException(source + ": not PEM (no -----BEGIN line)");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
          && iae.getMessage().startsWith(source)) {
        throw iae;
      }
      throw new IllegalArgumentException(source + ": malformed PEM: " + e.getMessage(), e);
    }
  }

  private static Object readSinglePem(Path file, String expected) throws CryptoFileException {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new CryptoFileException(file, "file does not exist (expected " + expected + ")", e);
    } catch (MalformedInputException e) {
      throw new CryptoFileException(file, "not a PEM file (binary content; expected "
          + expected + " in PEM)", e);
    } catch (IOException e) {
      throw new CryptoFileException(file, "cannot read " + expected + ": " + e, e);
    }
    if (!text.contains("-----BEGIN ")) {
      throw new CryptoFileException(file, text.isBlank() ? "file is empty (expected " + expected
          + " in PEM)" : "not a PEM file (no -----BEGIN line; expected " + expected + ")");
    }
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o = parser.readObject();
      if (o == null) {
        throw new CryptoFileException(file, "no PEM object found (expected " + expected + ")");
      }
      return o;
    } catch (CryptoFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CryptoFileException(file, "malformed PEM (expected " + expected + "): "
          + e.getMessage(), e);
    }
  }

  private static String describe(Object pem) {
    if (pem instanceof X509CertificateHolder) {
      return "an X.509 certificate";
    }
    if (pem instanceof PrivateKeyInfo) {
      return "a private key";
    }
    if (pem instanceof SubjectPublicKeyInfo) {
      return "a public key";
    }
    return "a PEM object of type " + pem.getClass().getSimpleName();
  }

  private static void writeSecret(Path file, String content) throws IOException {
    write(file, content, true);
  }

  private static void writePublic(Path file, String content) throws IOException {
    write(file, content, false);
  }

  /** Writes through a temporary sibling and an atomic move; owner-only when {@code secret}. */
  static void write(Path file, String content, boolean secret) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path tmp = posix && secret
        ? Files.createTempFile(dir, "." + abs.getFileName(), ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      if (posix && !secret) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static byte[] checkLength(byte[] key, int length, String what) {
    Objects.requireNonNull(key, what);
    if (key.length != length) {
      throw new IllegalArgumentException(
          "Ed25519 " + what + " must be " + length + " bytes, got " + key.length);
    }
    return key;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 57) + "...\"";
  }
}
