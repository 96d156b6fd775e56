package org.bftlab.crypto;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.bftlab.core.model.NodeId;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Who a TLS peer is, by its certificate: the replica of the genesis file whose Ed25519 public
 * key the certificate carries (DESIGN.md "Storage and deployment": only a process whose TLS
 * certificate carries a member's genesis key may join).
 *
 * <p>This is the membership half of the check; the other half, that the certificate chains to
 * the cluster CA and is within its validity, is the standard PKIX validation done before it. A
 * CA-signed certificate is thus not enough: its key must be a replica's genesis key, and when it
 * names a replica (CN), that name must be the key's owner.
 */
public final class MemberCertificates {
  private final String clusterId;
  private final Map<String, NodeId> replicaByKey = new HashMap<>();

  /** The replicas of {@code genesis} (clients are not members of the Pekko cluster). */
  public MemberCertificates(Genesis genesis) {
    Objects.requireNonNull(genesis, "genesis");
    this.clusterId = genesis.clusterId();
    for (GenesisNode n : genesis.nodes()) {
      replicaByKey.put(HexFormat.of().formatHex(n.publicKeyBytes()), n.id());
    }
  }

  /**
   * The replica that {@code certificate} belongs to.
   *
   * @throws CertificateException with the reason when the certificate's key is not Ed25519, is
   *     not a replica's genesis key, or when its CN names another replica than the key's owner
   */
  public NodeId identify(X509Certificate certificate) throws CertificateException {
    Objects.requireNonNull(certificate, "certificate");
    X509CertificateHolder holder;
    try {
      holder = new X509CertificateHolder(certificate.getEncoded());
    } catch (CertificateEncodingException | IOException e) {
      throw new CertificateException("unreadable peer certificate: " + e.getMessage(), e);
    }
    String subject = holder.getSubject().toString();
    SubjectPublicKeyInfo spki = holder.getSubjectPublicKeyInfo();
    if (!EdECObjectIdentifiers.id_Ed25519.equals(spki.getAlgorithm().getAlgorithm())) {
      throw new CertificateException("peer certificate " + subject + " has a "
          + spki.getAlgorithm().getAlgorithm() + " key, not Ed25519: not a replica of cluster "
          + clusterId);
    }
    byte[] key = spki.getPublicKeyData().getOctets();
    if (key.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new CertificateException("peer certificate " + subject + " has a malformed Ed25519"
          + " key (" + key.length + " bytes)");
    }
    NodeId owner = replicaByKey.get(HexFormat.of().formatHex(key));
    if (owner == null) {
      throw new CertificateException("peer certificate " + subject + " carries key "
          + KeyFiles.encodePublicKey(key) + ", which is not the genesis key of any replica of"
          + " cluster " + clusterId);
    }
    String cn = CertificateAuthority.commonName(holder.getSubject());
    if (cn != null && !cn.equals(owner.toString())) {
      throw new CertificateException("peer certificate names " + cn + " but carries the genesis"
          + " key of " + owner);
    }
    return owner;
  }

  /** The cluster whose replicas this checks. */
  public String clusterId() {
    return clusterId;
  }
}
