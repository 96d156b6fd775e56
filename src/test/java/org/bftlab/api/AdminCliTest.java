package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bftlab.cli.AdminCommand;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bftlab admin faults put|list|delete} signs with the admin key; a client key is refused. */
class AdminCliTest {
  @TempDir Path dir;
  ActorSystem<Void> system;

  @AfterEach
  void stop() {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  record Run(int code, String out, String err) {}

  Run admin(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AdminCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void putListDeleteAreSignedAndAClientKeyIsRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CryptoGen.generate(CryptoGen.Options.defaults(dir).withClusterId("bftlab-test")
        .withPorts(40000, port));
    Genesis g = Genesis.read(dir.resolve("genesis.json"));
    system = ActorSystem.create(Behaviors.empty(), "admin-cli",
        ConfigFactory.parseString("pekko.loglevel = WARNING"));
    FakeNodeFacade facade = new FakeNodeFacade(new NodeInfo("bftlab-test", new NodeId(0), 4, 1));
    ServerBinding b = HttpApi.bind(system, "127.0.0.1", port, facade, HttpApiTest.PARAMS,
        new FakeAuthenticator(new NodeId(0)), Duration.ofSeconds(5),
        AdminAuth.of(g, new NodeId(0))).toCompletableFuture().join();
    String genesis = dir.resolve("genesis.json").toString();

    Run put = admin("faults", "put", "--genesis", genesis, "--node", "node-0",
        "[{\"rule\":\"drop\",\"probability\":1.0,\"types\":[\"COMMIT\"]}]");
    assertThat(put.code()).as(put.err()).isZero();
    assertThat(put.out()).startsWith("node-0 200 ").contains("Drop");
    assertThat(facade.faults).hasSize(1);

    Run list = admin("faults", "list", "--genesis", genesis, "--node", "node-0");
    assertThat(list.code()).isZero();
    assertThat(list.out()).contains("Drop");

    Run asClient = admin("faults", "delete", "--genesis", genesis, "--node", "node-0",
        "--admin-id", "client-0", "--admin-key", dir.resolve("clients/client-0.key").toString());
    assertThat(asClient.code()).isEqualTo(2);
    assertThat(asClient.err()).contains("403").contains("NOT_ADMIN");
    assertThat(facade.faults).as("the client changed nothing").hasSize(1);

    Path key = dir.resolve("admins/admin-0.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    Run loose = admin("faults", "delete", "--genesis", genesis, "--node", "node-0");
    assertThat(loose.code()).isEqualTo(4);
    assertThat(loose.err()).contains("chmod 600");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    Run delete = admin("faults", "delete", "--genesis", genesis, "--node", "node-0");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(facade.faults).isEmpty();
    b.unbind().toCompletableFuture().join();
  }
}
