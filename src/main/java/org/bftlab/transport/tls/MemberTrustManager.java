package org.bftlab.transport.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.MemberCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a TLS peer only if it is a replica: the standard PKIX check against the cluster CA
 * (chain, signatures, validity, key usage) by {@code pkix}, then {@link MemberCertificates}: the
 * certificate's key must be a replica's genesis key. Used on both sides of a connection, so a
 * replica neither accepts a non-member's connection nor talks to a non-member that accepted its
 * own. Every refusal is logged at WARN with its reason and fails the handshake.
 */
final class MemberTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(MemberTrustManager.class);

  private final X509ExtendedTrustManager pkix;
  private final MemberCertificates members;
  private final NodeId self;

  /**
   * @param pkix the JDK's PKIX trust manager whose only anchor is the cluster CA
   * @param members the replicas of the genesis
   * @param self this replica, named in log lines
   */
  MemberTrustManager(X509ExtendedTrustManager pkix, MemberCertificates members, NodeId self) {
    this.pkix = Objects.requireNonNull(pkix, "pkix");
    this.members = Objects.requireNonNull(members, "members");
    this.self = self;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "inbound", () -> pkix.checkClientTrusted(chain, authType));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, "inbound", () -> pkix.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, "inbound", () -> pkix.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "outbound", () -> pkix.checkServerTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain, "outbound", () -> pkix.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, "outbound", () -> pkix.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private interface Check {
    void run() throws CertificateException;
  }

  private void check(X509Certificate[] chain, String direction, Check pkixCheck)
      throws CertificateException {
    String subject = chain == null || chain.length == 0 ? "(no certificate)"
        : chain[0].getSubjectX500Principal().getName();
    try {
      pkixCheck.run();
      members.identify(chain[0]);
    } catch (CertificateException e) {
      LOG.warn("{}: refused {} TLS peer {}: {}", self, direction, subject, e.getMessage());
      throw e;
    }
  }
}
