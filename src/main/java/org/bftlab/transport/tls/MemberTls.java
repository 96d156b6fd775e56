package org.bftlab.transport.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.TlsMaterial;

/**
 * A replica's TLS 1.3 endpoint factory, free of Pekko: the {@code SSLContext} built from its
 * {@link TlsMaterial} (key manager over an in-memory PKCS#12 store with the Ed25519 key and
 * certificate chain; {@link MemberTrustManager} over a PKIX trust manager anchored at the cluster
 * CA), and {@code SSLEngine}s that speak only TLS 1.3 and, as servers, require a client
 * certificate.
 */
public final class MemberTls {
  /** The only protocol spoken. */
  public static final String PROTOCOL = "TLSv1.3";

  private final TlsMaterial material;
  private final SSLContext context;

  /**
   * @throws IllegalStateException if the JVM cannot build a TLS 1.3 context with Ed25519 keys
   */
  public MemberTls(TlsMaterial material) {
    this.material = Objects.requireNonNull(material, "material");
    try {
      char[] password = new char[] {'b', 'f', 't'}; // in memory only; PKCS#12 wants one
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(material.nodeId().toString(), material.privateKey(), password,
          new Certificate[] {material.certificate(), material.caCertificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);

      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("cluster-ca", material.caCertificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(anchors);
      X509ExtendedTrustManager pkix = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          pkix = x;
        }
      }
      if (pkix == null) {
        throw new IllegalStateException("the JDK's PKIX TrustManagerFactory gave no "
            + "X509ExtendedTrustManager");
      }
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(kmf.getKeyManagers(),
          new TrustManager[] {new MemberTrustManager(pkix, material.members(), material.nodeId())},
          new SecureRandom());
      this.context = ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context of " + material.nodeId()
          + ": " + e, e);
    }
  }

  /** An engine accepting a connection: TLS 1.3, client certificate required. */
  public SSLEngine serverEngine(String host, int port) {
    SSLEngine e = context.createSSLEngine(host, port);
    e.setUseClientMode(false);
    e.setEnabledProtocols(new String[] {PROTOCOL});
    e.setNeedClientAuth(true);
    return e;
  }

  /** An engine opening a connection to {@code host:port}: TLS 1.3. */
  public SSLEngine clientEngine(String host, int port) {
    SSLEngine e = context.createSSLEngine(host, port);
    e.setUseClientMode(true);
    e.setEnabledProtocols(new String[] {PROTOCOL});
    return e;
  }

  /**
   * The replica at the other end of an established session (checked again after the
   * handshake, in case an engine was built without {@link MemberTrustManager}).
   *
   * @throws CertificateException if the peer sent no certificate or is not a replica
   */
  public NodeId peer(SSLSession session) throws CertificateException {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new CertificateException("TLS peer presented no certificate", e);
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new CertificateException("TLS peer presented no X.509 certificate");
    }
    if (!PROTOCOL.equals(session.getProtocol())) {
      throw new CertificateException("TLS session uses " + session.getProtocol() + ", not "
          + PROTOCOL);
    }
    return material.members().identify(leaf);
  }

  /** The material this context was built from. */
  public TlsMaterial material() {
    return material;
  }
}
