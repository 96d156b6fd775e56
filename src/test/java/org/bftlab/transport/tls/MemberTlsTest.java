package org.bftlab.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CertificateAuthority;
import org.bftlab.crypto.CryptoFileException;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Ed25519KeyPair;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.crypto.TlsMaterial;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS 1.3 between replicas, handshakes run in memory: members are accepted and
 * identified; a peer without a certificate, with a certificate of another CA, with a cluster-CA
 * certificate for a key not in the genesis, or naming another replica than its key's owner is
 * refused by the replica it talks to, whichever side of the connection it is on. Bad files are
 * refused when loaded, naming the file.
 */
class MemberTlsTest {
  private static final Instant NOW = Instant.now();
  private static final NodeId N0 = new NodeId(0);
  private static final NodeId N1 = new NodeId(1);
  private static final NodeId N2 = new NodeId(2);
  private static final NodeId N3 = new NodeId(3);

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private CertificateAuthority ca;
  private Genesis genesis;
  private Path cluster;

  @BeforeEach
  void generate() throws Exception {
    cluster = dir.resolve("cluster");
    ca = CertificateAuthority.create("tls-test", Ed25519.generate(random),
        NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)), random);
    genesis = CryptoGen.generate(CryptoGen.Options.defaults(cluster).withClusterId("tls-test"),
        ca, random).genesis();
  }

  private TlsMaterial material(Path clusterDir, NodeId id) throws CryptoFileException {
    return TlsMaterial.load(clusterDir.resolve("genesis.json"), id,
        clusterDir.resolve("nodes/" + id + ".crt"), clusterDir.resolve("nodes/" + id + ".key"),
        clusterDir.resolve("ca.crt"), NOW);
  }

  private MemberTls member(NodeId id) throws CryptoFileException {
    return new MemberTls(material(cluster, id));
  }

  // ------------------------------------------------------------------ members

  @Test
  void membersHandshakeAndLearnWhoTheOtherIs() throws Exception {
    MemberTls n0 = member(N0);
    MemberTls n1 = member(N1);
    SSLEngine client = n0.clientEngine("127.0.0.1", 25521);
    SSLEngine server = n1.serverEngine("127.0.0.1", 25521);

    Handshake h = Handshake.run(client, server);

    assertThat(h.succeeded()).as("%s", h).isTrue();
    assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(n0.peer(client.getSession())).isEqualTo(N1);
    assertThat(n1.peer(server.getSession())).isEqualTo(N0);
    assertThat(server.getNeedClientAuth()).isTrue();
  }

  @Test
  void providerAcceptsMembersAndVerifiesTheirSessions() throws Exception {
    MemberSslEngineProvider p0 = new MemberSslEngineProvider(material(cluster, N0));
    MemberSslEngineProvider p3 = new MemberSslEngineProvider(material(cluster, N3));
    SSLEngine client = p0.createClientSSLEngine("127.0.0.1", 25523);
    SSLEngine server = p3.createServerSSLEngine("127.0.0.1", 25523);
    assertThat(Handshake.run(client, server).succeeded()).isTrue();
    assertThat(p0.verifyClientSession("127.0.0.1", client.getSession()).isEmpty()).isTrue();
    assertThat(p3.verifyServerSession("127.0.0.1", server.getSession()).isEmpty()).isTrue();
  }

  // ------------------------------------------------------------------ impostors

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    SSLEngine impostor = trustingContext(null, null).createSSLEngine("127.0.0.1", 25521);
    impostor.setUseClientMode(true);
    Handshake h = Handshake.run(impostor, member(N1).serverEngine("127.0.0.1", 25521));
    assertThat(h.serverError()).as("server refuses").isNotNull();
    assertThat(Handshake.reasons(h.serverError())).contains("certificate");
  }

  @Test
  void plainTextIsRefused() throws Exception {
    SSLEngine server = member(N1).serverEngine("127.0.0.1", 25521);
    server.beginHandshake();
    // what a plain-TCP Artery client sends first: its connection header "AKKA" + stream id
    ByteBuffer in = ByteBuffer.wrap(new byte[] {'A', 'K', 'K', 'A', 1, 0, 0, 0});
    assertThatThrownBy(() -> server.unwrap(in, ByteBuffer.allocate(1 << 16)))
        .isInstanceOf(SSLException.class);
  }

  @Test
  void certificateOfAnotherCaIsRefusedBothWays() throws Exception {
    Path other = dir.resolve("other");
    CryptoGen.generate(CryptoGen.Options.defaults(other).withClusterId("tls-test"));
    TlsMaterial stranger = material(other, N2); // a valid node-2 of another cluster, same id

    Handshake in = Handshake.run(
        trusting(stranger.privateKey(), stranger.certificate()).clientEngine(),
        member(N1).serverEngine("127.0.0.1", 25521));
    assertThat(in.serverError()).as("server refuses").isNotNull();
    assertThat(Handshake.reasons(in.serverError())).containsIgnoringCase("path");

    Handshake out = Handshake.run(member(N0).clientEngine("127.0.0.1", 25522),
        trusting(stranger.privateKey(), stranger.certificate()).serverEngine());
    assertThat(out.clientError()).as("client refuses the server").isNotNull();
  }

  @Test
  void clusterCaCertificateForAKeyNotInGenesisIsRefused() throws Exception {
    Ed25519KeyPair fresh = Ed25519.generate(random);
    X509Certificate cert = jca(ca.issueReplica(new NodeId(4), "127.0.0.1", fresh.publicKey()));
    Handshake h = Handshake.run(trusting(jcaKey(fresh), cert).clientEngine(),
        member(N1).serverEngine("127.0.0.1", 25521));
    assertThat(h.serverError()).as("server refuses").isNotNull();
    assertThat(Handshake.reasons(h.serverError()))
        .contains("not the genesis key of any replica of cluster tls-test");

    // a client certificate of the cluster (client-0's genesis key) is not a replica either
    Ed25519KeyPair client0 = KeyFiles.readKeyPair(cluster.resolve("clients/client-0.key"));
    Handshake c = Handshake.run(trusting(jcaKey(client0),
            jca(KeyFiles.readCertificate(cluster.resolve("clients/client-0.crt")))).clientEngine(),
        member(N1).serverEngine("127.0.0.1", 25521));
    assertThat(c.serverError()).as("server refuses a client certificate").isNotNull();
  }

  @Test
  void anotherMembersNameWithAWrongKeyIsRefusedBothWays() throws Exception {
    Ed25519KeyPair fresh = Ed25519.generate(random);
    X509Certificate asNode3 = jca(ca.issueReplica(N3, "127.0.0.1", fresh.publicKey()));
    Handshake in = Handshake.run(trusting(jcaKey(fresh), asNode3).clientEngine(),
        member(N1).serverEngine("127.0.0.1", 25521));
    assertThat(in.serverError()).isNotNull();
    assertThat(Handshake.reasons(in.serverError())).contains("CN=node-3")
        .contains("not the genesis key of any replica");

    // as a server: node-0 dials node-3's address and an impostor answers with a node-3 cert
    Handshake out = Handshake.run(member(N0).clientEngine("127.0.0.1", 25523),
        trusting(jcaKey(fresh), asNode3).serverEngine());
    assertThat(out.clientError()).as("node-0 refuses the fake node-3").isNotNull();
    assertThat(Handshake.reasons(out.clientError())).contains("not the genesis key");
  }

  @Test
  void certificateNamingAnotherReplicaThanItsKeysOwnerIsRefused() throws Exception {
    Ed25519KeyPair node2 = KeyFiles.readKeyPair(cluster.resolve("nodes/node-2.key"));
    X509Certificate claimsNode3 = jca(ca.issueReplica(N3, "127.0.0.1", node2.publicKey()));
    assertThatThrownBy(() -> material(cluster, N1).members().identify(claimsNode3))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("names node-3 but carries the genesis key of node-2");
    Handshake h = Handshake.run(trusting(jcaKey(node2), claimsNode3).clientEngine(),
        member(N1).serverEngine("127.0.0.1", 25521));
    assertThat(h.serverError()).isNotNull();
  }

  // ------------------------------------------------------------------ bad files at start-up

  @Test
  void caFileOfAnotherClusterIsRefusedNamingIt() throws Exception {
    Path other = dir.resolve("other");
    CryptoGen.generate(CryptoGen.Options.defaults(other).withClusterId("tls-test"));
    assertThatThrownBy(() -> TlsMaterial.load(cluster.resolve("genesis.json"), N0,
        cluster.resolve("nodes/node-0.crt"), cluster.resolve("nodes/node-0.key"),
        other.resolve("ca.crt"), NOW))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(other.resolve("ca.crt").toString())
        .hasMessageContaining("is not the CA certificate that");
  }

  @Test
  void certificateOfAnotherNodeIsRefusedNamingIt() {
    assertThatThrownBy(() -> TlsMaterial.load(cluster.resolve("genesis.json"), N0,
        cluster.resolve("nodes/node-1.crt"), cluster.resolve("nodes/node-0.key"),
        cluster.resolve("ca.crt"), NOW))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(cluster.resolve("nodes/node-1.crt").toString())
        .hasMessageContaining("expected CN=node-0");
  }

  @Test
  void privateKeyOfAnotherNodeIsRefusedNamingIt() {
    assertThatThrownBy(() -> TlsMaterial.load(cluster.resolve("genesis.json"), N0,
        cluster.resolve("nodes/node-0.crt"), cluster.resolve("nodes/node-1.key"),
        cluster.resolve("ca.crt"), NOW))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(cluster.resolve("nodes/node-1.key").toString())
        .hasMessageContaining("is not node-0's key");
  }

  @Test
  void missingOrGarbledCertificateIsRefusedNamingIt() throws Exception {
    Path cert = cluster.resolve("nodes/node-0.crt");
    Files.delete(cert);
    assertThatThrownBy(() -> material(cluster, N0)).isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(cert.toString()).hasMessageContaining("does not exist");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> material(cluster, N0)).isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(cert.toString());
  }

  @Test
  void expiredCertificateIsRefused() {
    assertThatThrownBy(() -> TlsMaterial.load(cluster.resolve("genesis.json"), N0,
        cluster.resolve("nodes/node-0.crt"), cluster.resolve("nodes/node-0.key"),
        cluster.resolve("ca.crt"), NOW.plus(Duration.ofDays(30))))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageContaining("not valid at");
  }

  // ------------------------------------------------------------------ helpers

  /** An endpoint that presents {@code key}/{@code cert} (or nothing) and trusts anyone. */
  private static Endpoint trusting(PrivateKey key, X509Certificate cert) throws Exception {
    return new Endpoint(trustingContext(key, cert));
  }

  private record Endpoint(SSLContext context) {
    SSLEngine clientEngine() {
      SSLEngine e = context.createSSLEngine("127.0.0.1", 1);
      e.setUseClientMode(true);
      e.setEnabledProtocols(new String[] {"TLSv1.3"});
      return e;
    }

    SSLEngine serverEngine() {
      SSLEngine e = context.createSSLEngine("127.0.0.1", 1);
      e.setUseClientMode(false);
      e.setEnabledProtocols(new String[] {"TLSv1.3"});
      e.setNeedClientAuth(true);
      return e;
    }
  }

  private static SSLContext trustingContext(PrivateKey key, X509Certificate cert)
      throws Exception {
    KeyManager[] kms = null;
    if (key != null) {
      char[] pw = "x".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("impostor", key, pw, new Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      kms = kmf.getKeyManagers();
    }
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
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kms, new TrustManager[] {trustAll}, new SecureRandom());
    return ctx;
  }

  private static X509Certificate jca(X509CertificateHolder holder) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
  }

  /** PKCS#8 of an Ed25519 seed (RFC 8410 §7: a fixed 16-byte prefix, then the 32 bytes). */
  static PrivateKey jcaKey(Ed25519KeyPair pair) throws Exception {
    byte[] prefix = HexFormat.of().parseHex("302e020100300506032b657004220420");
    byte[] pkcs8 = new byte[48];
    System.arraycopy(prefix, 0, pkcs8, 0, 16);
    System.arraycopy(pair.privateKey(), 0, pkcs8, 16, 32);
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }
}
