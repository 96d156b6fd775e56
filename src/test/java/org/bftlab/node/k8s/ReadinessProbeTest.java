package org.bftlab.node.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bftlab.api.HttpApi;
import org.bftlab.api.NodeFacade;
import org.bftlab.api.NodeInfo;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.Readiness;
import org.bftlab.api.SubmitResult;
import org.bftlab.api.TxStatus;
import org.bftlab.codec.Json;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadinessProbe} over real HTTP: three peers serve {@code GET /status} from fakes, node-0
 * serves {@code GET /ready}; its answer follows its own progress and its peers'.
 */
class ReadinessProbeTest {
  static final int K = 16;

  @TempDir Path dir;
  ActorSystem<Void> system;
  final List<ServerBinding> bindings = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** A facade whose status a test sets. */
  static final class StatusFacade implements NodeFacade {
    final NodeInfo info;
    final AtomicReference<NodeStatus> status = new AtomicReference<>();

    StatusFacade(NodeInfo info) {
      this.info = info;
    }

    void set(long view, long executed, long stable, boolean viewChange) {
      status.set(new NodeStatus(info.nodeId(), info.clusterId(), view,
          new NodeId((int) (view % 4)), executed, executed, Digest.ZERO, stable, stable + 32,
          stable, viewChange, viewChange ? view + 1 : view));
    }

    @Override
    public NodeInfo info() {
      return info;
    }

    @Override
    public CompletionStage<NodeStatus> status() {
      return CompletableFuture.completedFuture(status.get());
    }

    @Override
    public CompletionStage<SubmitResult> submit(Request request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Optional<TxStatus>> transaction(String txId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<Block>> block(long height) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<Block>> head() {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public void installFaults(String rules) {}

    @Override
    public String faults() {
      return "";
    }

    @Override
    public CompletionStage<Optional<StateEntry>> state(String contract, String key) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }

  @Test
  void readyFollowsCatchingUpViewChangesAndPeersAnswering() throws Exception {
    int base = freePortBlock();
    var gen = CryptoGen.generate(CryptoGen.Options.defaults(dir).withPorts(base + 10, base));
    Genesis genesis = gen.genesis();
    system = ActorSystem.create(Behaviors.empty(), "probe-test",
        ConfigFactory.parseString("pekko.loglevel = WARNING"));
    ProtocolParams params = new ProtocolParams(genesis.clusterId(), genesis.nodeIds(), 64, 2, K,
        32, 50, 1024);
    List<StatusFacade> facades = new ArrayList<>();
    for (var node : genesis.nodes()) {
      facades.add(new StatusFacade(new NodeInfo(genesis.clusterId(), node.id(), 4, 1)));
    }
    StatusFacade self = facades.get(0);
    AtomicReference<String> member = new AtomicReference<>("Up");
    ReadinessProbe probe = new ReadinessProbe(genesis, self.info.nodeId(), K, self::status,
        () -> true, member::get, Duration.ofSeconds(2));
    for (int i = 0; i < 4; i++) {
      NodeFacade served = i == 0 ? new ProbedNodeFacade(self, probe) : facades.get(i);
      var auth = GenesisAuthenticator.forReplica(genesis, new NodeId(i),
          dir.resolve("nodes").resolve("node-" + i + ".key"));
      bindings.add(HttpApi.bind(system, "127.0.0.1", genesis.nodes().get(i).httpPort(), served,
          params, auth).toCompletableFuture().join());
    }
    for (int i = 1; i < 4; i++) {
      facades.get(i).set(0, 100, 96, false);
    }

    self.set(0, 10, 0, false);             // restarted far behind
    JsonNode r = ready(genesis, 503);
    assertThat(r.path("reasons").get(0).asText()).contains("catching up");
    assertThat(r.path("peersStableCheckpoint").asLong()).isEqualTo(96);
    assertThat(r.path("peersAnswered").asInt()).isEqualTo(3);

    self.set(0, 96, 96, false);           // caught up
    assertThat(ready(genesis, 200).path("ready").asBoolean()).isTrue();

    self.set(0, 96, 96, true);            // in a view change
    assertThat(ready(genesis, 503).path("reasons").get(0).asText())
        .isEqualTo("view change from view 0 to view 1 in progress");

    self.set(0, 96, 96, false);
    bindings.get(3).terminate(Duration.ofSeconds(1)).toCompletableFuture().join();   // one peer gone: f+1 still answer
    assertThat(ready(genesis, 200).path("peersAnswered").asInt()).isEqualTo(2);
    bindings.get(2).terminate(Duration.ofSeconds(1)).toCompletableFuture().join();   // two gone: only 1 < f+1
    assertThat(ready(genesis, 503).path("reasons").get(0).asText())
        .contains("only 1 peer(s) answered");

    member.set("Joining");
    assertThat(ready(genesis, 503).path("reasons").toString()).contains("member status: Joining");
  }

  private JsonNode ready(Genesis genesis, int expected) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(genesis.nodes().get(0).httpUrl() + "/ready")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return Json.mapper().readTree(r.body());
  }

  /** A base port with 20 free ports above it (best effort). */
  static int freePortBlock() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket s = new ServerSocket(0)) {
        base = s.getLocalPort();
      }
      if (base + 20 > 65535) {
        continue;
      }
      boolean free = true;
      for (int p = base; p < base + 20 && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          s.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port block");
  }
}
