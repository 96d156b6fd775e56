package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisTest {
  @TempDir Path dir;

  @Test
  void roundTripThroughPrettyJson() throws Exception {
    Genesis g = TestKeys.genesis(4, 2);
    Path f = dir.resolve("genesis.json");
    g.write(f);
    String json = Files.readString(f);
    assertThat(json).contains("\"id\" : \"node-0\"").contains("\"id\" : \"client-1\"")
        .contains("\"pekkoPort\" : 25520").doesNotContain("caCertificate")
        .doesNotContain("nodeIds").doesNotContain("publicKeyBytes").doesNotContain("httpUrl");
    assertThat(json.indexOf("clusterId")).isLessThan(json.indexOf("nodes"));
    Genesis back = Genesis.read(f);
    assertThat(back).isEqualTo(g);
    assertThat(back.n()).isEqualTo(4);
    assertThat(back.f()).isEqualTo(1);
    assertThat(back.nodeIds()).containsExactly(new NodeId(0), new NodeId(1), new NodeId(2),
        new NodeId(3));
    assertThat(back.node(new NodeId(2))).contains(TestKeys.node(2));
    assertThat(back.node(new NodeId(4))).isEmpty();
    assertThat(back.client(new ClientId("client-1"))).contains(TestKeys.client(1));
    assertThat(back.httpUrl(new NodeId(3))).isEqualTo("http://127.0.0.1:8083");
    assertThatThrownBy(() -> back.httpUrl(new NodeId(9))).hasMessageContaining("node-9 is not");
  }

  @Test
  void roundTripWithCaCertificate() throws Exception {
    var ca = CertificateAuthority.create("test-cluster", TestKeys.pair("ca"),
        Instant.parse("2025-01-01T00:00:00Z"),
        Instant.parse("2035-01-01T00:00:00Z"), new SecureRandom());
    Genesis g = TestKeys.genesis(7, 1).withCaCertificate(ca.certificatePem());
    Path f = dir.resolve("genesis.json");
    g.write(f);
    Genesis back = Genesis.read(f);
    assertThat(back).isEqualTo(g);
    assertThat(back.caCertificateHolder()).contains(ca.certificate());
    assertThat(back.f()).isEqualTo(2);
  }

  @Test
  void nMustBe3fPlus1AtLeast4() {
    assertThatThrownBy(() -> Genesis.of("c", TestKeys.nodes(3), List.of()))
        .hasMessageContaining("n = 3f+1 >= 4").hasMessageContaining("got n = 3");
    assertThatThrownBy(() -> Genesis.of("c", TestKeys.nodes(5), List.of()))
        .hasMessageContaining("got n = 5").hasMessageContaining("nearest valid: 4 or 7");
    assertThat(Genesis.of("c", TestKeys.nodes(10), List.of()).f()).isEqualTo(3);
  }

  @Test
  void nodeIdsMustBeInOrder() {
    List<GenesisNode> nodes = new ArrayList<>(TestKeys.nodes(4));
    nodes.set(2, TestKeys.node(3));
    nodes.set(3, TestKeys.node(2));
    assertThatThrownBy(() -> Genesis.of("c", nodes, List.of()))
        .hasMessageContaining("nodes[2] is node-3, expected node-2");
  }

  @Test
  void portsMustNotClash() {
    List<GenesisNode> nodes = new ArrayList<>(TestKeys.nodes(4));
    GenesisNode n3 = TestKeys.node(3);
    nodes.set(3, new GenesisNode(n3.id(), n3.host(), 25521, n3.httpPort(), n3.publicKey()));
    assertThatThrownBy(() -> Genesis.of("c", nodes, List.of()))
        .hasMessageContaining("port clash on 127.0.0.1:25521: node-3 pekkoPort is also node-1 "
            + "pekkoPort");
    nodes.set(3, new GenesisNode(n3.id(), n3.host(), 8080, 9000, n3.publicKey()));
    assertThatThrownBy(() -> Genesis.of("c", nodes, List.of()))
        .hasMessageContaining("node-3 pekkoPort is also node-0 httpPort");
    // same ports on different hosts are fine (one pod per node on Kubernetes)
    List<GenesisNode> pods = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pods.add(new GenesisNode(new NodeId(i), "bftlab-" + i + ".bftlab", 25520, 8080,
          TestKeys.node(i).publicKey()));
    }
    assertThat(Genesis.of("c", pods, List.of()).httpUrl(new NodeId(1)))
        .isEqualTo("http://bftlab-1.bftlab:8080");
  }

  @Test
  void nodeFieldsAreChecked() {
    String key = TestKeys.node(0).publicKey();
    NodeId id = new NodeId(0);
    assertThatThrownBy(() -> new GenesisNode(id, " ", 1, 2, key)).hasMessage("node-0: host is missing");
    assertThatThrownBy(() -> new GenesisNode(id, "h", 0, 2, key))
        .hasMessage("node-0: pekkoPort must be 1..65535, got 0");
    assertThatThrownBy(() -> new GenesisNode(id, "h", 1, 70000, key))
        .hasMessage("node-0: httpPort must be 1..65535, got 70000");
    assertThatThrownBy(() -> new GenesisNode(id, "h", 5, 5, key))
        .hasMessageContaining("must differ");
    assertThatThrownBy(() -> new GenesisNode(id, "h", 1, 2, "AAAA"))
        .hasMessageStartingWith("node-0: public key must be 32 bytes");
    assertThatThrownBy(() -> new GenesisNode(id, "h", 1, 2, "%%%"))
        .hasMessageStartingWith("node-0: public key is not valid base64");
  }

  @Test
  void keysMustBeDistinct() {
    List<GenesisNode> nodes = new ArrayList<>(TestKeys.nodes(4));
    GenesisNode n2 = TestKeys.node(2);
    nodes.set(2, new GenesisNode(n2.id(), n2.host(), n2.pekkoPort(), n2.httpPort(),
        TestKeys.node(1).publicKey()));
    assertThatThrownBy(() -> Genesis.of("c", nodes, List.of()))
        .hasMessageContaining("node-2 has the same public key as node-1");
    GenesisClient sneaky = new GenesisClient(new ClientId("client-0"), TestKeys.node(0).publicKey());
    assertThatThrownBy(() -> Genesis.of("c", TestKeys.nodes(4), List.of(sneaky)))
        .hasMessageContaining("client-0 has the same public key as node-0");
  }

  @Test
  void clientIdsMustBeUnique() {
    GenesisClient c = TestKeys.client(0);
    GenesisClient again = new GenesisClient(c.id(), TestKeys.client(1).publicKey());
    assertThatThrownBy(() -> Genesis.of("c", TestKeys.nodes(4), List.of(c, again)))
        .hasMessageContaining("client id client-0 is listed twice (again at clients[1])");
  }

  @Test
  void clusterIdPattern() {
    assertThatThrownBy(() -> Genesis.of("bad id", TestKeys.nodes(4), List.of()))
        .hasMessageContaining("clusterId must be 1..64 characters");
    assertThatThrownBy(() -> Genesis.of("x".repeat(65), TestKeys.nodes(4), List.of()))
        .hasMessageContaining("clusterId must be 1..64 characters");
    assertThat(Genesis.of("a.B_c-9", TestKeys.nodes(4), List.of()).clusterId()).isEqualTo("a.B_c-9");
  }

  @Test
  void readErrorsNameTheFileAndTheProblem() throws Exception {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> Genesis.read(missing)).isInstanceOf(CryptoFileException.class)
        .hasMessage(missing + ": genesis file does not exist");

    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"clusterId\": \"c\",\n  \"nodes\": [");
    assertThatThrownBy(() -> Genesis.read(broken)).isInstanceOf(CryptoFileException.class)
        .hasMessageStartingWith(broken + ": ").hasMessageContaining("line 2");

    String good = TestKeys.genesis(4, 1).toJson();
    Path badPort = Files.writeString(dir.resolve("port.json"),
        good.replace("\"pekkoPort\" : 25522", "\"pekkoPort\" : 99999"));
    assertThatThrownBy(() -> Genesis.read(badPort))
        .hasMessage(badPort + ": invalid genesis: nodes[2]: node-2: pekkoPort must be 1..65535, "
            + "got 99999");

    Path badId = Files.writeString(dir.resolve("id.json"),
        good.replace("\"id\" : \"node-1\"", "\"id\" : \"replica-1\""));
    assertThatThrownBy(() -> Genesis.read(badId))
        .hasMessageStartingWith(badId + ": invalid genesis at nodes[1].id: ")
        .hasMessageContaining("not a node id");

    Path five = Files.writeString(dir.resolve("five.json"),
        Genesis.of("c", TestKeys.nodes(4), List.of()).toJson().replace("\"nodes\" : [",
            "\"nodes\" : [ " + Json5.node4() + ","));
    assertThatThrownBy(() -> Genesis.read(five)).hasMessageContaining("n = 3f+1 >= 4");

    Path unknown = Files.writeString(dir.resolve("unknown.json"),
        good.replace("\"clusterId\"", "\"colour\" : \"red\", \"clusterId\""));
    assertThatThrownBy(() -> Genesis.read(unknown)).hasMessageStartingWith(unknown + ": ")
        .hasMessageContaining("colour");

    Path noClients = Files.writeString(dir.resolve("noclients.json"),
        "{\"clusterId\": \"c\", \"nodes\": []}");
    assertThatThrownBy(() -> Genesis.read(noClients)).hasMessageContaining("is missing");

    Path noHost = Files.writeString(dir.resolve("nohost.json"),
        good.replace("\"host\" : \"127.0.0.1\",", ""));
    assertThatThrownBy(() -> Genesis.read(noHost))
        .hasMessageContaining("nodes[0]: node-0: host is missing");

    Path badCa = Files.writeString(dir.resolve("ca.json"),
        good.replace("\"clusterId\"", "\"caCertificate\" : \"hello\", \"clusterId\""));
    assertThatThrownBy(() -> Genesis.read(badCa)).hasMessageContaining("caCertificate");
  }

  /** A fifth node's JSON, to make n = 5. */
  private static final class Json5 {
    static String node4() {
      GenesisNode n = TestKeys.node(4);
      return "{\"id\":\"node-4\",\"host\":\"127.0.0.1\",\"pekkoPort\":" + n.pekkoPort()
          + ",\"httpPort\":" + n.httpPort() + ",\"publicKey\":\"" + n.publicKey() + "\"}";
    }
  }
}
