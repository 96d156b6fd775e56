package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.bftlab.codec.Json;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The door under pressure: a full request pool answers 503 and a host over its rate 429, both
 * with Retry-After; requests Pekko refuses while parsing (414, 431) and names with control
 * characters get the documented JSON error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLimitsTest {
  static final ObjectMapper JSON = Json.mapper();
  ActorSystem<Void> system;
  HttpClient http;

  @BeforeAll
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "limits-test",
        ConfigFactory.parseString("pekko.loglevel = WARNING"));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  void stop() {
    system.terminate();
  }

  private ServerBinding bind(NodeFacade facade, HttpLimits limits) {
    return bind(facade, limits, Duration.ofSeconds(5));
  }

  private ServerBinding bind(NodeFacade facade, HttpLimits limits, Duration requestTimeout) {
    return HttpApi.bind(system, "127.0.0.1", 0, facade, HttpApiTest.PARAMS,
        new FakeAuthenticator(new NodeId(0)), requestTimeout, AdminAuth.off(), limits)
        .toCompletableFuture().join();
  }

  private HttpRequest.Builder get(ServerBinding b, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.localAddress().getPort()
        + path)).timeout(Duration.ofSeconds(10));
  }

  private static void jsonError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("error").asText()).isEqualTo(code);
    assertThat(body.path("message").asText()).isNotBlank();
  }

  @Test
  void aFullRequestPoolAnswers503WithRetryAfterAndHealthStillAnswers() throws Exception {
    HttpApiTest.HangingFacade hanging = new HttpApiTest.HangingFacade(
        new NodeInfo("bftlab-test", new NodeId(0), 4, 1));
    ServerBinding b = bind(hanging, new HttpLimits(4, 64, 1000, 1000), Duration.ofSeconds(15));
    List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
    for (int i = 0; i < 4; i++) {   // four submits the node never answers occupy the pool
      String body = JSON.writeValueAsString(HttpApiTest.bodyOf(HttpApiTest.signed("client-0", i + 1)));
      stuck.add(http.sendAsync(get(b, "/transactions").timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (hanging.submitted.size() < 4 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(hanging.submitted).hasSize(4);
    HttpResponse<String> refused = http.send(get(b, "/transactions/abc").build(),
        HttpResponse.BodyHandlers.ofString());
    List<Integer> seen = List.of(refused.statusCode());
    assertThat(refused.statusCode()).as("a fifth request refused while four hang; saw %s", seen)
        .isEqualTo(503);
    jsonError(refused, 503, ApiError.UNAVAILABLE);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(http.send(get(b, "/health").build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
    // the hanging ones end (503 after the request timeout) and free the pool
    for (var f : stuck) {
      assertThat(f.join().statusCode()).isEqualTo(503);
    }
    assertThat(http.send(get(b, "/health").build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
    b.unbind().toCompletableFuture().join();
  }

  @Test
  void aHostOverItsRateAnswers429() throws Exception {
    FakeNodeFacade facade = new FakeNodeFacade(new NodeInfo("bftlab-test", new NodeId(0), 4, 1));
    ServerBinding b = bind(facade, new HttpLimits(64, 64, 0.001, 5));
    int ok = 0;
    HttpResponse<String> limited = null;
    for (int i = 0; i < 10 && limited == null; i++) {
      HttpResponse<String> r = http.send(get(b, "/blocks/1").build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 429) {
        limited = r;
      } else {
        ok++;
      }
    }
    assertThat(ok).as("the burst passes").isEqualTo(5);
    assertThat(limited).isNotNull();
    jsonError(limited, 429, ApiError.TOO_MANY_REQUESTS);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    b.unbind().toCompletableFuture().join();
  }

  @Test
  void uriTooLongAndHeadersTooLargeAreJsonErrors() throws Exception {
    FakeNodeFacade facade = new FakeNodeFacade(new NodeInfo("bftlab-test", new NodeId(0), 4, 1));
    ServerBinding b = bind(facade, HttpLimits.DEFAULT);
    jsonError(http.send(get(b, "/blocks/" + "9".repeat(3000) + "?x=" + "y".repeat(3000)).build(),
        HttpResponse.BodyHandlers.ofString()), 414, ApiError.URI_TOO_LONG);
    jsonError(http.send(get(b, "/status").header("X-Big", "z".repeat(20_000)).build(),
        HttpResponse.BodyHandlers.ofString()), 431, ApiError.HEADERS_TOO_LARGE);
    HttpResponse<String> ctl = http.send(get(b, "/state/kv/a%07b").build(),
        HttpResponse.BodyHandlers.ofString());
    jsonError(ctl, 400, ApiError.MALFORMED);
    assertThat(ctl.body()).contains("U+0007");
    b.unbind().toCompletableFuture().join();
  }
}
