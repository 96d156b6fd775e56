package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bftlab.client.BftlabClient;
import org.bftlab.step.LiveView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bftlab demo --ui}'s live view over a real in-JVM cluster: four nodes write their live
 * trace, three transactions commit, and the view's state (over HTTP and over the WebSocket the
 * page uses) shows the four replicas with height >= 1, the PBFT arrows and committed-local marks.
 * No browser. Run under {@code flock /tmp/bftlab-cluster.lock}.
 */
class LiveViewClusterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void showsTheLiveClusterReadOnly(@TempDir Path dir) throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 4, 1, "bftlab-live-view",
        ConfigFactory.parseString("bftlab.trace.enabled = on"));
    LiveView view = LiveView.start(List.of(dir), 0);
    BftlabClient client = ClusterSupport.client(cluster,
        cluster.genesis().clients().get(0).id(), TIMEOUT);
    try {
      ViewChangeSupport.commitSequentially(client, 3, TIMEOUT);
      AtomicReference<JsonNode> last = new AtomicReference<>();
      JsonNode state = ClusterSupport.poll("4 replicas at height >= 1 with committed-local marks",
          TIMEOUT, 250, () -> {
            JsonNode s = get(view, "state");
            last.set(s);
            return allCommitted(s) ? Optional.of(s) : Optional.empty();
          }, () -> String.valueOf(last.get()));

      assertThat(state.path("live").asBoolean()).isTrue();
      assertThat(state.path("n").asInt()).isEqualTo(4);
      assertThat(state.path("f").asInt()).isEqualTo(1);
      List<String> nodes = new ArrayList<>();
      state.path("replicas").forEach(r -> nodes.add(r.path("node").asText()));
      assertThat(nodes).containsExactly("node-0", "node-1", "node-2", "node-3");
      state.path("replicas").forEach(r -> {
        assertThat(r.path("height").asLong()).as(r.toString()).isGreaterThanOrEqualTo(1);
        assertThat(r.path("head").asText()).as(r.toString()).hasSize(8);
        assertThat(r.path("view").asLong()).isZero();
      });
      assertThat(state.path("replicas").get(0).path("role").asText()).isEqualTo("primary");
      List<String> types = new ArrayList<>();
      state.path("arrows").forEach(a -> types.add(a.path("type").asText()));
      assertThat(types).contains("PRE-PREPARE", "PREPARE", "COMMIT");
      state.path("arrows").forEach(a -> assertThat(a.path("sentStep").asInt())
          .as(a.toString()).isLessThanOrEqualTo(a.path("doneStep").asInt()));
      assertThat(state.path("narration").toString()).contains("is committed-local for");
      assertThat(state.path("inFlight")).isEmpty();

      JsonNode pushed = firstPush(view);
      assertThat(pushed.path("live").asBoolean()).isTrue();
      assertThat(pushed.path("replicas")).hasSize(4);

      HttpResponse<String> page = ClusterSupport.HTTP.send(HttpRequest.newBuilder(
          URI.create(view.url())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Lamport diagram");
    } finally {
      client.close();
      view.close();
      cluster.close();
    }
  }

  private static boolean allCommitted(JsonNode s) {
    if (s.path("replicas").size() != 4) {
      return false;
    }
    for (JsonNode r : s.path("replicas")) {
      if (r.path("height").asLong() < 1) {
        return false;
      }
    }
    for (JsonNode m : s.path("marks")) {
      if (m.path("kind").asText().equals("committed-local")) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode get(LiveView view, String path) {
    try {
      HttpResponse<String> r = ClusterSupport.HTTP.send(HttpRequest.newBuilder(
          URI.create(view.url().replace("?live", "") + path)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return ClusterSupport.JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + ": " + e, e);
    }
  }

  /** The first state the page's WebSocket receives. */
  private static JsonNode firstPush(LiveView view) throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    WebSocket ws = ClusterSupport.HTTP.newWebSocketBuilder().buildAsync(
        URI.create(view.url().replace("http:", "ws:").replace("?live", "") + "ws"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean lastPart) {
            text.append(data);
            if (lastPart) {
              first.complete(text.toString());
            } else {
              w.request(1);
            }
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    try {
      return ClusterSupport.JSON.readTree(first.get(10, TimeUnit.SECONDS));
    } finally {
      ws.abort();
    }
  }
}
