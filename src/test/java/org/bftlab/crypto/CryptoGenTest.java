package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import org.bftlab.cli.CryptogenCommand;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Prepare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CryptoGenTest {
  private static final Instant GENERATED = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void fourNodes() throws Exception {
    CryptoGen.Result r = CryptoGen.generate(CryptoGen.Options.defaults(dir),
        new SecureRandom(), GENERATED);
    Genesis g = Genesis.read(dir.resolve("genesis.json"));
    assertThat(g).isEqualTo(r.genesis());
    assertThat(g.clusterId()).isEqualTo("bftlab-local");
    assertThat(g.n()).isEqualTo(4);
    assertThat(g.clients()).extracting(GenesisClient::id)
        .containsExactly(new ClientId("client-0"), new ClientId("client-1"));
    assertThat(g.node(new NodeId(3)).orElseThrow().pekkoPort()).isEqualTo(25523);
    assertThat(g.httpUrl(new NodeId(3))).isEqualTo("http://127.0.0.1:8083");
    for (int i = 0; i < 4; i++) {
      assertThat(dir.resolve("nodes/node-" + i + ".key")).exists();
      assertThat(dir.resolve("nodes/node-" + i + ".crt")).exists();
    }
    assertThat(dir.resolve("clients/client-1.key")).exists();
    assertThat(dir.resolve("ca.crt")).exists();
    assertThat(r.files()).hasSize(2 * 4 + 2 * 2 + 2).last().isEqualTo(dir.resolve("genesis.json"));

    // every node can sign with its key file and every other node verifies it
    for (int i = 0; i < 4; i++) {
      var auth = GenesisAuthenticator.forReplica(g, new NodeId(i),
          dir.resolve("nodes/node-" + i + ".key"));
      Prepare p = Prepare.sign(g.clusterId(), 0, 1, Digest.ZERO, new NodeId(i), auth);
      assertThat(p.verify(g.clusterId(), GenesisAuthenticator.forClientsAndReplicasOnly(g)))
          .isTrue();
    }
    // client keys match the genesis
    byte[] c0 = KeyFiles.readPrivateKey(dir.resolve("clients/client-0.key"));
    assertThat(KeyFiles.encodePublicKey(Ed25519.publicKeyOf(c0)))
        .isEqualTo(g.clients().get(0).publicKey());

    // X.509: all certificates issued by the genesis CA for the genesis keys
    assertThat(KeyFiles.readCertificate(dir.resolve("ca.crt")))
        .isEqualTo(g.caCertificateHolder().orElseThrow());
    CertificateAuthority.verifyMembership(g, dir, GENERATED);
    CertificateAuthority.verifyMembership(g, dir, GENERATED.plusSeconds(86400L * 3000));
  }

  @Test
  void sevenNodesOnCustomPorts() throws Exception {
    CryptoGen.Options o = CryptoGen.Options.defaults(dir).withNodes(7).withClients(1)
        .withClusterId("seven").withHost("10.0.0.5").withPorts(30000, 31000);
    Genesis g = CryptoGen.generate(o, new SecureRandom(), GENERATED).genesis();
    assertThat(Genesis.read(dir.resolve("genesis.json"))).isEqualTo(g);
    assertThat(g.n()).isEqualTo(7);
    assertThat(g.f()).isEqualTo(2);
    assertThat(g.httpUrl(new NodeId(6))).isEqualTo("http://10.0.0.5:31006");
    assertThat(g.node(new NodeId(6)).orElseThrow().pekkoPort()).isEqualTo(30006);
    CertificateAuthority.verifyMembership(g, dir, GENERATED);
  }

  @Test
  void certificateChecksCatchMismatches() throws Exception {
    Genesis g = CryptoGen.generate(CryptoGen.Options.defaults(dir), new SecureRandom(),
        GENERATED).genesis();
    var ca = g.caCertificateHolder().orElseThrow();
    var cert1 = KeyFiles.readCertificate(dir.resolve("nodes/node-1.crt"));
    byte[] key1 = g.nodes().get(1).publicKeyBytes();
    CertificateAuthority.verifyIssued(ca, cert1, "node-1", key1, GENERATED);
    assertThatThrownBy(() -> CertificateAuthority.verifyIssued(ca, cert1, "node-2", key1,
        GENERATED)).hasMessageContaining("CN=node-1, expected CN=node-2");
    assertThatThrownBy(() -> CertificateAuthority.verifyIssued(ca, cert1, "node-1",
        g.nodes().get(2).publicKeyBytes(), GENERATED)).hasMessageContaining("differs from");
    assertThatThrownBy(() -> CertificateAuthority.verifyIssued(ca, cert1, "node-1", key1,
        GENERATED.plusSeconds(86400L * 4000))).hasMessageContaining("not valid at");
    // a certificate from another cluster's CA
    var foreign = CertificateAuthority.create("bftlab-local", TestKeys.pair("other-ca"),
        GENERATED, GENERATED.plusSeconds(86400), new SecureRandom());
    var forged = foreign.issueReplica(new NodeId(1), "127.0.0.1", key1);
    assertThatThrownBy(() -> CertificateAuthority.verifyIssued(ca, forged, "node-1", key1,
        GENERATED.plusSeconds(60))).hasMessageContaining("does not verify under the CA key");
    // swapping a certificate file is caught and names the file
    Files.copy(dir.resolve("nodes/node-2.crt"), dir.resolve("nodes/node-1.crt"),
        StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> CertificateAuthority.verifyMembership(g, dir, GENERATED))
        .isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(dir.resolve("nodes/node-1.crt") + ": ");
  }

  @Test
  void refusesToOverwriteUnlessForced() throws Exception {
    CryptoGen.Options o = CryptoGen.Options.defaults(dir);
    Genesis first = CryptoGen.generate(o).genesis();
    String before = Files.readString(dir.resolve("nodes/node-0.key"));
    assertThatThrownBy(() -> CryptoGen.generate(o))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("genesis.json").hasMessageContaining("--force");
    assertThat(Files.readString(dir.resolve("nodes/node-0.key"))).isEqualTo(before);
    Genesis second = CryptoGen.generate(o.withForce(true)).genesis();
    assertThat(second.nodes().get(0).publicKey()).isNotEqualTo(first.nodes().get(0).publicKey());
    assertThat(Genesis.read(dir.resolve("genesis.json"))).isEqualTo(second);
  }

  @Test
  void refusesWhenOnlyAKeyFileExists() throws Exception {
    KeyFiles.writePrivateKey(dir.resolve("nodes/node-2.key"), TestKeys.pair("precious"));
    assertThatThrownBy(() -> CryptoGen.generate(CryptoGen.Options.defaults(dir)))
        .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("node-2.key");
    assertThat(dir.resolve("genesis.json")).doesNotExist();
  }

  @Test
  void optionsAreValidated() {
    CryptoGen.Options o = CryptoGen.Options.defaults(dir);
    assertThatThrownBy(() -> o.withNodes(5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n = 3f+1 >= 4").hasMessageContaining("got --nodes 5")
        .hasMessageContaining("use 4 (f = 1) or 7 (f = 2)");
    assertThatThrownBy(() -> o.withNodes(3)).hasMessageContaining("use 4 (f = 1)");
    assertThatThrownBy(() -> o.withClients(0)).hasMessageContaining("at least 1 client");
    assertThatThrownBy(() -> o.withClusterId("no spaces")).hasMessageContaining("cluster id");
    assertThatThrownBy(() -> o.withPorts(65534, 8080)).hasMessageContaining("no room for 4");
    assertThatThrownBy(() -> o.withPorts(8082, 8080)).hasMessageContaining("overlap");
  }

  // ------------------------------------------------------------------ CLI

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new CryptogenCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void cliWritesFourNodesAndTwoClientsByDefault() throws Exception {
    Run r = cli("--out", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("cluster bftlab-local: n = 4 nodes (f = 1), 2 clients")
        .contains("genesis.json").contains("node-3.key");
    assertThat(Genesis.read(dir.resolve("genesis.json")).n()).isEqualTo(4);

    Run again = cli("--out", dir.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already exists").contains("--force");

    Run forced = cli("--out", dir.toString(), "--nodes", "7", "--clients", "3", "--force",
        "--cluster-id", "lab7", "--host", "node.local", "--base-pekko-port", "2000",
        "--base-http-port", "3000");
    assertThat(forced.exit()).as(forced.err()).isZero();
    Genesis g = Genesis.read(dir.resolve("genesis.json"));
    assertThat(g.clusterId()).isEqualTo("lab7");
    assertThat(g.n()).isEqualTo(7);
    assertThat(g.clients()).hasSize(3);
    assertThat(g.httpUrl(new NodeId(2))).isEqualTo("http://node.local:3002");
  }

  @Test
  void cliRejectsFiveNodesWithAClearMessage() {
    Run r = cli("--out", dir.toString(), "--nodes", "5");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("PBFT needs n = 3f+1 >= 4").contains("got --nodes 5")
        .contains("use 4 (f = 1) or 7 (f = 2)");
    assertThat(dir.resolve("genesis.json")).doesNotExist();
  }

  @Test
  void cliRequiresOutAndHasHelp() {
    Run r = cli();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--out");
    Run help = cli("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("cryptogen").contains("--nodes").contains("--force");
  }

}
