package org.bftlab.it;

import com.typesafe.config.Config;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.bftlab.crypto.KeyFiles;
import scala.Option;

/**
 * An impostor's TLS: presents the certificate and Ed25519 key named in {@code
 * pekko.remote.artery.ssl.impostor} (any certificate: self-made, or issued by the cluster CA for
 * a key the genesis does not list) and trusts every peer, so that it gets as far as a real
 * replica lets it: a refusal can only come from the replica.
 */
public final class ImpostorSslEngineProvider implements SSLEngineProvider {
  private final SSLContext context;

  public ImpostorSslEngineProvider(ActorSystem system) {
    Config c = system.settings().config().getConfig("pekko.remote.artery.ssl.impostor");
    try {
      byte[] seed = KeyFiles.readPrivateKey(Path.of(c.getString("private-key")));
      byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420"
          + HexFormat.of().formatHex(seed));
      PrivateKey key = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(
              KeyFiles.readCertificate(Path.of(c.getString("certificate"))).getEncoded()));
      char[] pw = "x".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("impostor", key, pw, new Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      TrustManager trustAll = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      };
      context = SSLContext.getInstance("TLSv1.3");
      context.init(kmf.getKeyManagers(), new TrustManager[] {trustAll}, new SecureRandom());
    } catch (Exception e) {
      throw new IllegalStateException("impostor TLS: " + e, e);
    }
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine e = context.createSSLEngine(hostname, port);
    e.setUseClientMode(false);
    e.setEnabledProtocols(new String[] {"TLSv1.3"});
    return e;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine e = context.createSSLEngine(hostname, port);
    e.setUseClientMode(true);
    e.setEnabledProtocols(new String[] {"TLSv1.3"});
    return e;
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }
}
