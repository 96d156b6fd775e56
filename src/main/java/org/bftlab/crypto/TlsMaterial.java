package org.bftlab.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.bftlab.config.TlsSettings;
import org.bftlab.core.model.NodeId;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A replica's TLS identity, loaded from PEM files and checked against the genesis file before
 * anything listens: its certificate (issued by the cluster CA for its genesis key and name), its
 * Ed25519 private key (the same key it signs protocol messages with), the cluster CA
 * certificate (the only trust anchor), and the membership used to check peers.
 *
 * <p>Keys and certificates are converted to JCA objects of the JDK's own providers (SunEC has
 * Ed25519 and TLS 1.3 signs with it since Java 15), so {@code SSLContext} needs no extra provider.
 */
public final class TlsMaterial {
  private final Genesis genesis;
  private final NodeId nodeId;
  private final X509Certificate certificate;
  private final X509Certificate caCertificate;
  private final PrivateKey privateKey;
  private final MemberCertificates members;

  private TlsMaterial(Genesis genesis, NodeId nodeId, X509Certificate certificate,
      X509Certificate caCertificate, PrivateKey privateKey) {
    this.genesis = genesis;
    this.nodeId = nodeId;
    this.certificate = certificate;
    this.caCertificate = caCertificate;
    this.privateKey = privateKey;
    this.members = new MemberCertificates(genesis);
  }

  /** {@link #load(Path, NodeId, Path, Path, Path, Instant)} with the paths of {@code s}. */
  public static TlsMaterial load(TlsSettings s, Instant now) throws CryptoFileException {
    return load(s.genesisFile(), s.nodeId(), s.certificate(), s.privateKey(), s.caCertificate(),
        now);
  }

  /**
   * Loads and checks a replica's TLS files.
   *
   * @param now instant at which the certificates must be valid
   * @throws CryptoFileException naming the file and the problem: missing or malformed file; the
   *     node not a replica of the genesis; a CA file that is not a self-signed CA or not the CA the
   *     genesis lists; a certificate not issued by that CA, for another name, for another key than
   *     the node's genesis key, or outside its validity; a private key that is not the node's
   *     genesis key
   */
  public static TlsMaterial load(Path genesisFile, NodeId nodeId, Path certificateFile,
      Path privateKeyFile, Path caFile, Instant now) throws CryptoFileException {
    Objects.requireNonNull(nodeId, "nodeId");
    Genesis genesis = Genesis.read(genesisFile);
    GenesisNode me = genesis.node(nodeId).orElseThrow(() -> new CryptoFileException(genesisFile,
        nodeId + " is not a replica of cluster " + genesis.clusterId() + " (replicas: "
            + genesis.nodeIds() + ")"));
    X509CertificateHolder ca = KeyFiles.readCertificate(caFile);
    if (genesis.caCertificate() != null) {
      X509CertificateHolder listed = genesis.caCertificateHolder().orElseThrow();
      if (!listed.equals(ca)) {
        throw new CryptoFileException(caFile, "is not the CA certificate that " + genesisFile
            + " lists for cluster " + genesis.clusterId() + " (this file: " + ca.getSubject()
            + ", serial " + ca.getSerialNumber().toString(16) + "; genesis: "
            + listed.getSubject() + ", serial " + listed.getSerialNumber().toString(16) + ")");
      }
    }
    X509CertificateHolder cert = KeyFiles.readCertificate(certificateFile);
    try {
      CertificateAuthority.verifyIssued(ca, cert, nodeId.toString(), me.publicKeyBytes(), now);
    } catch (IllegalArgumentException e) {
      Path blamed = e.getMessage().startsWith("the CA certificate") ? caFile : certificateFile;
      throw new CryptoFileException(blamed, "not a valid TLS certificate of " + nodeId
          + " in cluster " + genesis.clusterId() + ": " + e.getMessage(), e);
    }
    byte[] seed = KeyFiles.readPrivateKey(privateKeyFile);
    byte[] publicKey = Ed25519.publicKeyOf(seed);
    if (!Arrays.equals(publicKey, me.publicKeyBytes())) {
      throw new CryptoFileException(privateKeyFile, "is not " + nodeId + "'s key: its public key "
          + KeyFiles.encodePublicKey(publicKey) + " differs from the genesis key "
          + me.publicKey() + " (which " + certificateFile.getFileName() + " carries)");
    }
    try {
      PrivateKey jcaKey = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(KeyFiles.pkcs8(seed).getEncoded()));
      return new TlsMaterial(genesis, nodeId, jca(cert), jca(ca), jcaKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("this JVM cannot load Ed25519 keys and certificates for "
          + "TLS (needs Java 15 or later with the SunEC provider): " + e, e);
    }
  }

  private static X509Certificate jca(X509CertificateHolder holder)
      throws IOException, GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
  }

  /** The membership the material was checked against. */
  public Genesis genesis() {
    return genesis;
  }

  /** This replica. */
  public NodeId nodeId() {
    return nodeId;
  }

  /** This replica's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The cluster CA's certificate. */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** This replica's private key (JCA, algorithm Ed25519). */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Identifies peers by their certificates. */
  public MemberCertificates members() {
    return members;
  }
}
