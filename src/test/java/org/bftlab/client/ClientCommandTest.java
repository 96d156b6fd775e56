package org.bftlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.api.NodeStatus;
import org.bftlab.cli.ClientCommand;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClientCommandTest {
  private FakeCluster cluster;
  private ClientIdentity.Loader previous;
  private final List<Path> keysAsked = new ArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    cluster = new FakeCluster(4);
    previous = ClientIdentity.loader();
    ClientIdentity.setLoader((genesis, key) -> {
      keysAsked.add(key);
      return ClientIdentity.of("bftlab-test", 1, cluster.uris(),
          key == null ? null : FakeCluster::sign);
    });
  }

  @AfterEach
  void stop() {
    ClientIdentity.setLoader(previous);
    cluster.close();
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new ClientCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void submitPrintsTheTxIdAndTheConfirmedOutcome() {
    cluster.runTokenChain(false);
    int code = run("submit", "--genesis", "/tmp/g/genesis.json", "--timeout", "10",
        "token", "mint", "client-0", "5");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).containsPattern("txId [0-9a-f]{64}")
        .contains("committed height 1 index 0 VALID result \"5\"");
    assertThat(keysAsked).containsExactly(Path.of("/tmp/g/clients/client-0.key"));
  }

  @Test
  void submitExitsWith2OnAGatewayRejection() {
    cluster.nodes.forEach(n -> n.onPost =
        b -> FakeCluster.Resp.error(403, "UNKNOWN_CLIENT", "client 'x' is not a member"));
    int code = run("submit", "--client-id", "x", "--client-key", "/k/x.key", "token", "mint",
        "x", "1");
    assertThat(code).isEqualTo(ClientCommand.EXIT_REJECTED);
    assertThat(err.toString()).contains("UNKNOWN_CLIENT").contains("is not a member");
    assertThat(keysAsked).containsExactly(Path.of("/k/x.key"));
  }

  @Test
  void loadPrintsAReport() {
    cluster.runTokenChain(false);
    int code = run("load", "--transactions", "40", "--concurrency", "4", "--clients", "2",
        "--json");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"committed\" : 39").contains("\"DUPLICATE_TXID\" : 1");
    assertThat(keysAsked).extracting(p -> p.getFileName().toString())
        .containsExactly("client-0.key", "client-1.key");
  }

  @Test
  void statusPrintsATableAndExits1WhenHeadsAtTheSameHeightDiffer() {
    Digest a = Digest.sha256(new byte[] {1});
    Digest b = Digest.sha256(new byte[] {2});
    for (FakeCluster.Node n : cluster.nodes) {
      n.status = new NodeStatus(n.id(), "bftlab-test", 2, new NodeId(2), 9, 9,
          n.index == 3 ? b : a, 0, 32, 0, false, 2);
    }
    assertThat(run("status")).isEqualTo(ClientCommand.EXIT_DISAGREE);
    assertThat(out.toString()).contains("node    view  primary  height  head")
        .contains("node-3  2     node-2   9       " + b.shortHex()).contains("DISAGREE");
    assertThat(keysAsked).containsExactly((Path) null);
  }

  @Test
  void statusExits0WhenHeadsAgree() {
    for (FakeCluster.Node n : cluster.nodes.subList(0, 3)) {
      n.status = new NodeStatus(n.id(), "bftlab-test", 0, new NodeId(0), n.index, n.index,
          Digest.sha256(new byte[] {(byte) n.index}), 0, 32, 0, false, 0);
    }
    assertThat(run("status")).as(out.toString()).isZero();
    assertThat(out.toString()).contains("HTTP 404");
  }
}
