package org.bftlab.transport.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.bftlab.config.TlsSettings;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CryptoFileException;
import org.bftlab.crypto.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Pekko Artery's {@code SSLEngineProvider} for bftlab replicas
 * ({@code pekko.remote.artery.ssl.ssl-engine-provider}, used when {@code
 * pekko.remote.artery.transport = tls-tcp}): mutual TLS 1.3 where both ends must be replicas of
 * the genesis (see {@link MemberTls}). Artery creates it with the ActorSystem; it reads its files
 * from {@value #CONFIG_PATH} ({@code genesis}, {@code node-id}, {@code certificate}, {@code
 * private-key}, {@code ca-certificate}), which {@link #pekkoConfig(TlsSettings)} writes.
 *
 * <p>A handshake with a non-member fails in the trust manager (nothing of the connection reaches
 * Artery); the session checks after the handshake repeat the membership check.
 */
public final class MemberSslEngineProvider implements SSLEngineProvider {
  private static final Logger LOG = LoggerFactory.getLogger(MemberSslEngineProvider.class);

  /** Where this provider reads its files from in the ActorSystem's configuration. */
  public static final String CONFIG_PATH = "pekko.remote.artery.ssl.bftlab-member";

  private final MemberTls tls;

  /**
   * Reads {@value #CONFIG_PATH} and loads the files.
   *
   * @throws IllegalArgumentException naming the file and the problem when the TLS files are bad
   */
  public MemberSslEngineProvider(ActorSystem system) {
    this(load(system.settings().config().getConfig(CONFIG_PATH)));
  }

  /** A provider over already loaded material. */
  public MemberSslEngineProvider(TlsMaterial material) {
    this.tls = new MemberTls(material);
  }

  /**
   * The Pekko settings that put {@code s} into effect: {@code tls-tcp} with this provider when
   * TLS is on, nothing (the default {@code tcp}) when it is off.
   */
  public static Config pekkoConfig(TlsSettings s) {
    if (!s.enabled()) {
      return ConfigFactory.empty();
    }
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.transport", "tls-tcp");
    m.put("pekko.remote.artery.ssl.ssl-engine-provider", MemberSslEngineProvider.class.getName());
    m.put(CONFIG_PATH, ConfigValueFactory.fromMap(Map.of(
        "node-id", s.nodeId().toString(),
        "genesis", s.genesisFile().toAbsolutePath().toString(),
        "certificate", s.certificate().toAbsolutePath().toString(),
        "private-key", s.privateKey().toAbsolutePath().toString(),
        "ca-certificate", s.caCertificate().toAbsolutePath().toString())));
    return ConfigFactory.parseMap(m);
  }

  private static TlsMaterial load(Config c) {
    try {
      return TlsMaterial.load(Path.of(c.getString("genesis")), NodeId.parse(c.getString("node-id")),
          Path.of(c.getString("certificate")), Path.of(c.getString("private-key")),
          Path.of(c.getString("ca-certificate")), Instant.now());
    } catch (CryptoFileException e) {
      throw new IllegalArgumentException("TLS: " + e.getMessage(), e);
    }
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    return tls.serverEngine(hostname, port);
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    return tls.clientEngine(hostname, port);
  }

  /** After an outbound handshake: the server must be a replica. */
  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return verify("outbound to " + hostname, session);
  }

  /** After an inbound handshake: the client must be a replica. */
  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return verify("inbound", session);
  }

  private Option<Throwable> verify(String what, SSLSession session) {
    try {
      NodeId peer = tls.peer(session);
      LOG.debug("{}: TLS session {} authenticated as {}", tls.material().nodeId(), what, peer);
      return Option.empty();
    } catch (CertificateException e) {
      LOG.warn("{}: refused TLS session {}: {}", tls.material().nodeId(), what, e.getMessage());
      return Option.apply(e);
    }
  }
}
