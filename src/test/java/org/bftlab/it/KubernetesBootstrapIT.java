package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.codec.Json;
import org.bftlab.core.msg.Request;
import org.bftlab.it.support.ProcessCluster;
import org.bftlab.node.k8s.KubernetesManifests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, multi-process: four {@code bftlab node} JVMs configured as the StatefulSet's pods
 * are (Cluster Bootstrap with Kubernetes API discovery, node id from the host name
 * {@code bftlab-i}, remoting and management on the "pod IP") find each other through the fabric8
 * mock Kubernetes API server (CRUD mode, HTTPS with its self-signed certificate as the API CA)
 * holding four Running pods {@code app=bftlab} on 127.0.0.1x with the {@code management} port,
 * form one Pekko cluster, commit transactions and report {@code /ready} only once caught up.
 * Then one "pod" is SIGKILLed while the others commit more than a checkpoint interval, and
 * started again on its data directory: it rejoins the one cluster, reports not ready until it
 * has caught up, then ready.
 */
class KubernetesBootstrapIT {
  private static final String NS = "bftlab-test";
  private static final int K = 16;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration DEADLINE = Duration.ofSeconds(240);

  @TempDir Path tmp;
  private KubernetesMockServer api;
  private ProcessCluster cluster;
  /** Every "pod"'s management port (one port, as the StatefulSet's containerPort). */
  private int management;

  /** The CRUD dispatcher, answering GETs as {@code application/json} (Pekko's discovery insists). */
  static final class JsonCrudDispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handleGet(String path) {
      return super.handleGet(path).setHeader("Content-Type", "application/json");
    }
  }

  /** Kept so that the level holds: the mock server logs every request at INFO. */
  private static final Logger MOCK_LOG =
      Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (api != null) {
      api.destroy();
    }
  }

  static String podIp(int i) {
    return "127.0.0." + (10 + i);
  }

  @Test
  void podsFindEachOtherThroughTheKubernetesApiFormOneClusterAndARestartedPodIsReadyOnlyCaughtUp()
      throws Exception {
    management = freePort();
    MockWebServer web = new MockWebServer();
    api = new KubernetesMockServer(new Context(), web, new HashMap<>(), new JsonCrudDispatcher(),
        true);
    api.init(InetAddress.getByName("localhost"), 0);
    Path ca = Path.of(api.getSelfSignedCertificate().certificatePath());
    Path token = Files.writeString(tmp.resolve("token"), "test-token");
    try (KubernetesClient k8s = api.createClient()) {
      for (int i = 0; i < 4; i++) {
        k8s.pods().inNamespace(NS).resource(pod("bftlab-" + i, "bftlab", podIp(i), management))
            .create();
      }
      // another workload's pod (e.g. a key Job's): the app=bftlab selector must leave it out
      k8s.pods().inNamespace(NS).resource(pod("bftlab-key-0-x", "other", "127.0.0.99",
          management)).create();
      assertThat(k8s.pods().inNamespace(NS).withLabel("app", "bftlab").list().getItems())
          .hasSize(4).allMatch(p -> "Running".equals(p.getStatus().getPhase())
              && p.getStatus().getPodIP().startsWith("127.0.0.1"));
    }

    cluster = ProcessCluster.builder("k8s-bootstrap")
        .hosts(KubernetesBootstrapIT::podIp)
        .environment(i -> Map.ofEntries(
            Map.entry("HOSTNAME", "bftlab-" + i),
            Map.entry("BFTLAB_NODE_ID_FROM_HOSTNAME", "on"),
            Map.entry("BFTLAB_DISCOVERY", "kubernetes-api"),
            Map.entry("BFTLAB_CANONICAL_HOSTNAME", podIp(i)),
            Map.entry("PEKKO_MANAGEMENT_PORT", String.valueOf(management)),
            Map.entry("PEKKO_CLUSTER_BOOTSTRAP_SERVICE_NAME", "bftlab"),
            Map.entry("PEKKO_KUBERNETES_NAMESPACE", NS),
            Map.entry("PEKKO_KUBERNETES_API_CA_PATH", ca.toString()),
            Map.entry("PEKKO_KUBERNETES_API_TOKEN_PATH", token.toString()),
            Map.entry("KUBERNETES_SERVICE_HOST", "localhost"),
            Map.entry("KUBERNETES_SERVICE_PORT", String.valueOf(api.getPort()))))
        .build();
    ProcessCluster c = cluster;
    c.log("mock Kubernetes API at https://localhost:%d, management port %d", api.getPort(),
        management);

    long t0 = System.nanoTime();
    c.startAll();
    // when each node's management endpoint first answers: its JVM is up and bootstrap started
    long[] managementUp = new long[4];
    ProcessCluster.poll("one Pekko cluster of 4 Up members, seen alike by every node", DEADLINE,
        () -> {
          for (int i = 0; i < 4; i++) {
            if (managementUp[i] == 0 && get("http://" + podIp(i) + ":" + management
                + "/alive") != null) {
              managementUp[i] = System.nanoTime();
            }
          }
          return oneCluster(c) ? Optional.of(true) : Optional.empty();
        }, () -> members(0).toString());
    long formed = System.nanoTime();
    long formedMs = (formed - t0) / 1_000_000;
    long lastUp = Arrays.stream(managementUp).max().orElseThrow();
    c.log("BOOTSTRAP: one cluster of 4 formed %d ms after the last node's management endpoint "
        + "answered (JVM start to management up: %s ms)", (formed - lastUp) / 1_000_000,
        Arrays.stream(managementUp).map(t -> (t - t0) / 1_000_000).boxed().toList());
    ProcessCluster.poll("GET /ready = 200 on all 4", DEADLINE,
        () -> c.all().stream().allMatch(i -> readyCode(c, i) == 200) ? Optional.of(true)
            : Optional.empty(), () -> readyBody(c, 0));
    long readyMs = (System.nanoTime() - t0) / 1_000_000;
    c.log("BOOTSTRAP: one cluster of 4 after %d ms, all ready after %d ms (from process start)",
        formedMs, readyMs);
    // the node ids came from the host names, and discovery asked the API with the selector
    for (int i = 0; i < 4; i++) {
      assertThat(c.status(i)).get().extracting(s -> s.nodeId().toString())
          .isEqualTo("node-" + i);
    }
    assertThat(api.getRequestCount()).isPositive();

    BftlabClient client = c.client(0);
    commit(client, 20);
    c.awaitIdenticalHeads(c.all(), 1);

    c.log("SIGKILL node-3 (pod bftlab-3)");
    c.kill9(3);
    List<Integer> three = List.of(0, 1, 2);
    commit(client, 3 * K);
    List<NodeStatus> ahead = c.awaitIdenticalHeads(three, 1);
    long target = ahead.get(0).height();
    c.log("nodes 0-2 at height %d without node-3", target);

    long restart = System.nanoTime();
    c.start(3);
    List<String> notReady = new ArrayList<>();
    JsonNode firstReady = ProcessCluster.poll("node-3 ready after its restart", DEADLINE, () -> {
      HttpResponse<String> r = get(c.url(3) + "/ready");
      if (r == null) {
        return Optional.empty();
      }
      JsonNode body = json(r.body());
      if (r.statusCode() == 503) {
        notReady.add(body.path("reasons").toString());
        return Optional.empty();
      }
      return r.statusCode() == 200 ? Optional.of(body) : Optional.empty();
    });
    long readyAgainMs = (System.nanoTime() - restart) / 1_000_000;
    NodeStatus at = c.status(3).orElseThrow();
    List<Long> peersStable = c.statuses(three).stream().map(NodeStatus::lastStableCheckpoint)
        .sorted(Comparator.reverseOrder()).toList();
    c.log("RESTART: node-3 ready %d ms after its restart at height %d (peers' stable "
        + "checkpoints %s); %d not-ready answers before, reasons seen: %s", readyAgainMs,
        at.height(), peersStable, notReady.size(), new TreeSet<>(notReady));
    assertThat(notReady).as("node-3 answered not ready (503) before it was ready").isNotEmpty();
    assertThat(String.join(" ", notReady)).containsAnyOf("catching up", "not an Up member",
        "only");
    // ready only once caught up: within K of the stable checkpoint f+1 = 2 peers reached
    assertThat(firstReady.path("lastExecutedSeqNo").asLong() + K)
        .isGreaterThanOrEqualTo(firstReady.path("peersStableCheckpoint").asLong());
    assertThat(at.height() + K).isGreaterThanOrEqualTo(peersStable.get(1));
    assertThat(firstReady.path("peersStableCheckpoint").asLong())
        .isGreaterThanOrEqualTo(target - K);

    // it rejoined the one cluster (a new incarnation of the same address), and it converges
    ProcessCluster.poll("one Pekko cluster of 4 Up members after the restart", DEADLINE,
        () -> oneCluster(c) ? Optional.of(true) : Optional.empty(), () -> members(3).toString());
    commit(client, 4);
    List<NodeStatus> four = c.awaitIdenticalHeads(c.all(), target + 1);
    c.checkBlocks(c.all(), four.get(0).height());
    c.log("all 4 at height %d, identical heads", four.get(0).height());
  }

  private void commit(BftlabClient client, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      Request r = client.newRequest("token", "mint", client.clientId().value(), "1");
      CommittedTx tx = client.submitAndAwait(r, Duration.ofSeconds(60)).get();
      assertThat(tx.txId()).isEqualTo(r.txId());
    }
  }

  private static Pod pod(String name, String app, String ip, int managementPort) {
    return new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName("bftlab").withImage(KubernetesManifests.IMAGE)
        .addNewPort().withName("remoting").withContainerPort(25520).endPort()
        .addNewPort().withName("management").withContainerPort(managementPort).endPort()
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).endStatus()
        .build();
  }

  /** Every node sees the same 4 addresses Up, and the same leader. */
  private boolean oneCluster(ProcessCluster c) {
    Set<String> leaders = new TreeSet<>();
    Set<Set<String>> views = new HashSet<>();
    for (int i : c.all()) {
      Optional<JsonNode> m = members(i);
      if (m.isEmpty()) {
        return false;
      }
      Set<String> up = new TreeSet<>();
      for (JsonNode member : m.get().path("members")) {
        if ("Up".equals(member.path("status").asText())) {
          up.add(member.path("node").asText());
        }
      }
      if (up.size() != 4 || m.get().path("unreachable").size() != 0) {
        return false;
      }
      views.add(up);
      leaders.add(m.get().path("leader").asText());
    }
    return views.size() == 1 && leaders.size() == 1;
  }

  private Optional<JsonNode> members(int i) {
    HttpResponse<String> r = get("http://" + podIp(i) + ":" + management + "/cluster/members");
    return r != null && r.statusCode() == 200 ? Optional.of(json(r.body())) : Optional.empty();
  }

  private static int readyCode(ProcessCluster c, int i) {
    HttpResponse<String> r = get(c.url(i) + "/ready");
    return r == null ? -1 : r.statusCode();
  }

  private static String readyBody(ProcessCluster c, int i) {
    HttpResponse<String> r = get(c.url(i) + "/ready");
    return r == null ? "no answer" : r.body();
  }

  private static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
