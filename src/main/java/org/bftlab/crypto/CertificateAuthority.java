package org.bftlab.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;
import org.bftlab.core.model.NodeId;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcEdDSAContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The cluster's X.509 membership, in the style of Hyperledger Fabric's MSP and {@code
 * cryptogen}: a self-signed Ed25519 CA certificate for the cluster (RFC 5280, Ed25519 in
 * certificates per RFC 8410) and one certificate per replica and client, signed by the CA.
 *
 * <ul>
 *   <li>CA: subject {@code CN=bftlab CA,O=<clusterId>}; basicConstraints cA=true (critical);
 *       keyUsage keyCertSign, cRLSign (critical).
 *   <li>Replica: subject {@code CN=node-i,OU=replica,O=<clusterId>}; keyUsage digitalSignature;
 *       extendedKeyUsage serverAuth, clientAuth; subjectAltName the replica's host (IP address or
 *       DNS name), ready for TLS between nodes.
 *   <li>Client: subject {@code CN=<client id>,OU=client,O=<clusterId>}; keyUsage
 *       digitalSignature; extendedKeyUsage clientAuth.
 * </ul>
 *
 * <p>The Ed25519 public key in a member certificate is the same key as in the genesis file, so
 * the certificate is a CA-signed statement "this key is node-i of this cluster". Validity is
 * given by the caller (generation may read the clock; checks take the instant to check at, so
 * tests never depend on the wall clock).
 *
 * <p>Signing uses {@code JcaContentSignerBuilder("Ed25519")} with a private Bouncy Castle
 * provider instance (not registered in {@code java.security.Security}); verification uses the
 * lightweight {@code BcEdDSAContentVerifierProviderBuilder}.
 */
public final class CertificateAuthority {
  /** Organizational unit of replica certificates. */
  public static final String OU_REPLICA = "replica";
  /** Organizational unit of client certificates. */
  public static final String OU_CLIENT = "client";

  private final String clusterId;
  private final Ed25519KeyPair key;
  private final X509CertificateHolder certificate;
  private final Instant notBefore;
  private final Instant notAfter;
  private final SecureRandom random;

  private CertificateAuthority(String clusterId, Ed25519KeyPair key,
      X509CertificateHolder certificate, Instant notBefore, Instant notAfter,
      SecureRandom random) {
    this.clusterId = clusterId;
    this.key = key;
    this.certificate = certificate;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.random = random;
  }

  /**
   * A new CA for {@code clusterId} with key {@code caKey}, its self-signed certificate valid
   * from {@code notBefore} to {@code notAfter}; member certificates get the same validity.
   *
   * @param random source of certificate serial numbers
   */
  public static CertificateAuthority create(String clusterId, Ed25519KeyPair caKey,
      Instant notBefore, Instant notAfter, SecureRandom random) {
    Objects.requireNonNull(caKey, "caKey");
    Objects.requireNonNull(random, "random");
    if (clusterId == null || !clusterId.matches(Genesis.CLUSTER_ID_PATTERN)) {
      throw new IllegalArgumentException(
          "clusterId must be 1..64 characters of [A-Za-z0-9._-], got \"" + clusterId + '"');
    }
    if (!notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException("notBefore " + notBefore + " must be before notAfter "
          + notAfter);
    }
    X500Name subject = name("bftlab CA", null, clusterId);
    try {
      BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
      SubjectPublicKeyInfo spki = spki(caKey.publicKey());
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(subject, serial(random),
          Date.from(notBefore), Date.from(notAfter), subject, spki)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(spki));
      X509CertificateHolder cert = b.build(contentSigner(caKey.privateKey()));
      return new CertificateAuthority(clusterId, caKey, cert, notBefore, notAfter, random);
    } catch (IOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /** The cluster this CA certifies members of. */
  public String clusterId() {
    return clusterId;
  }

  /** The CA's self-signed certificate. */
  public X509CertificateHolder certificate() {
    return certificate;
  }

  /** The CA's self-signed certificate as PEM, the form stored in the genesis file. */
  public String certificatePem() {
    return toPem(certificate);
  }

  /** The CA's key pair. */
  public Ed25519KeyPair key() {
    return key;
  }

  /**
   * Issues the certificate of replica {@code node} listening on {@code host}.
   *
   * @param publicKey32 the replica's 32-byte Ed25519 public key (as in the genesis)
   */
  public X509CertificateHolder issueReplica(NodeId node, String host, byte[] publicKey32) {
    GeneralName san = IPAddress.isValid(host) ? new GeneralName(GeneralName.iPAddress, host)
        : new GeneralName(GeneralName.dNSName, host);
    return issue(node.toString(), OU_REPLICA, publicKey32, new GeneralNames(san),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
  }

  /** Issues the certificate of client {@code clientId} for its 32-byte public key. */
  public X509CertificateHolder issueClient(String clientId, byte[] publicKey32) {
    return issue(clientId, OU_CLIENT, publicKey32, null,
        new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth});
  }

  private X509CertificateHolder issue(String commonName, String unit, byte[] publicKey32,
      GeneralNames san, KeyPurposeId[] purposes) {
    try {
      BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
      SubjectPublicKeyInfo spki = spki(publicKey32);
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(certificate.getSubject(),
          serial(random), Date.from(notBefore), Date.from(notAfter),
          name(commonName, unit, clusterId), spki)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(spki))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(certificate));
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, false, san);
      }
      return b.build(contentSigner(key.privateKey()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot build the certificate of " + commonName, e);
    }
  }

  // ---------------------------------------------------------------- checking

  /**
   * Checks that {@code cert} is the CA-issued certificate of {@code expectedCommonName} (e.g.
   * {@code node-2}) for {@code expectedPublicKey32}, valid at {@code at}.
   *
   * @throws IllegalArgumentException naming the first problem found: CA certificate not
   *     self-signed or not a CA, wrong issuer, bad signature, other common name, other key, not
   *     an Ed25519 key, or outside its validity period
   */
  public static void verifyIssued(X509CertificateHolder ca, X509CertificateHolder cert,
      String expectedCommonName, byte[] expectedPublicKey32, Instant at) {
    Date when = Date.from(at);
    if (!ca.getSubject().equals(ca.getIssuer()) || !signedBy(ca, ca)) {
      throw new IllegalArgumentException("the CA certificate is not validly self-signed");
    }
    BasicConstraints bc = BasicConstraints.fromExtensions(ca.getExtensions());
    if (bc == null || !bc.isCA()) {
      throw new IllegalArgumentException("the CA certificate is not a CA (basicConstraints)");
    }
    if (!ca.isValidOn(when)) {
      throw new IllegalArgumentException("the CA certificate is not valid at " + at
          + " (valid " + ca.getNotBefore().toInstant() + " .. " + ca.getNotAfter().toInstant()
          + ")");
    }
    String cn = commonName(cert.getSubject());
    if (!expectedCommonName.equals(cn)) {
      throw new IllegalArgumentException("certificate is for CN=" + cn + ", expected CN="
          + expectedCommonName);
    }
    if (!cert.getIssuer().equals(ca.getSubject())) {
      throw new IllegalArgumentException(cn + ": issued by " + cert.getIssuer()
          + ", not by the cluster CA " + ca.getSubject());
    }
    if (!signedBy(cert, ca)) {
      throw new IllegalArgumentException(cn + ": signature does not verify under the CA key");
    }
    if (!cert.isValidOn(when)) {
      throw new IllegalArgumentException(cn + ": certificate not valid at " + at + " (valid "
          + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant() + ")");
    }
    byte[] key = ed25519Key(cert);
    if (key == null) {
      throw new IllegalArgumentException(cn + ": certificate key is "
          + cert.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm()
          + ", expected Ed25519 (1.3.101.112)");
    }
    if (!Arrays.equals(key, expectedPublicKey32)) {
      throw new IllegalArgumentException(cn + ": certificate key " + KeyFiles.encodePublicKey(key)
          + " differs from the genesis key " + KeyFiles.encodePublicKey(expectedPublicKey32));
    }
  }

  /**
   * Checks the certificates that {@link CryptoGen} wrote under {@code dir} ({@code
   * nodes/node-i.crt}, {@code clients/<id>.crt}) against {@code genesis} and its CA certificate,
   * at instant {@code at}.
   *
   * @throws IOException if a certificate file is missing or unreadable, or, as a {@link
   *     CryptoFileException} naming the file, does not check out
   * @throws IllegalArgumentException if the genesis carries no CA certificate
   */
  public static void verifyMembership(Genesis genesis, Path dir, Instant at) throws IOException {
    X509CertificateHolder ca = genesis.caCertificateHolder().orElseThrow(
        () -> new IllegalArgumentException("genesis of " + genesis.clusterId()
            + " has no caCertificate"));
    for (GenesisNode n : genesis.nodes()) {
      Path f = dir.resolve("nodes").resolve(n.id() + ".crt");
      check(f, ca, n.id().toString(), n.publicKeyBytes(), at);
    }
    for (GenesisClient c : genesis.clients()) {
      Path f = dir.resolve("clients").resolve(c.id() + ".crt");
      check(f, ca, c.id().value(), c.publicKeyBytes(), at);
    }
  }

  private static void check(Path f, X509CertificateHolder ca, String cn, byte[] key, Instant at)
      throws CryptoFileException {
    try {
      verifyIssued(ca, KeyFiles.readCertificate(f), cn, key, at);
    } catch (IllegalArgumentException e) {
      throw new CryptoFileException(f, e.getMessage(), e);
    }
  }

  /** The raw 32-byte Ed25519 key of {@code cert}, or null if it holds another kind of key. */
  public static byte[] ed25519Key(X509CertificateHolder cert) {
    SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
    if (!EdECObjectIdentifiers.id_Ed25519.equals(spki.getAlgorithm().getAlgorithm())) {
      return null;
    }
    byte[] raw = spki.getPublicKeyData().getOctets();
    return raw.length == Ed25519.PUBLIC_KEY_BYTES ? raw : null;
  }

  /** The CN of {@code name}, or null. */
  public static String commonName(X500Name name) {
    RDN[] rdns = name.getRDNs(BCStyle.CN);
    return rdns.length == 0 ? null
        : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  /** PEM text of a certificate. */
  public static String toPem(X509CertificateHolder cert) {
    return KeyFiles.toPem(cert);
  }

  // ---------------------------------------------------------------- internals

  private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
    try {
      return cert.isSignatureValid(new BcEdDSAContentVerifierProviderBuilder().build(issuer));
    } catch (CertException | OperatorCreationException | RuntimeException e) {
      return false;
    }
  }

  private static X500Name name(String cn, String ou, String org) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn);
    if (ou != null) {
      b.addRDN(BCStyle.OU, ou);
    }
    return b.addRDN(BCStyle.O, org).build();
  }

  private static SubjectPublicKeyInfo spki(byte[] publicKey32) throws IOException {
    return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
        new Ed25519PublicKeyParameters(Ed25519.verifyingKey(publicKey32).publicKey(), 0));
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE); // positive, <= 20 octets (RFC 5280)
  }

  private static ContentSigner contentSigner(byte[] privateKey32) {
    try {
      byte[] pkcs8 = KeyFiles.pkcs8(privateKey32).getEncoded();
      PrivateKey jca = KeyFactory.getInstance("Ed25519", Bc.PROVIDER)
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return new JcaContentSignerBuilder("Ed25519").setProvider(Bc.PROVIDER).build(jca);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create an Ed25519 certificate signer", e);
    }
  }

  /** A private provider instance, created on first use (it takes a few hundred ms). */
  private static final class Bc {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }
}
