package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bftlab.api.NodeStatus;
import org.bftlab.codec.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Four {@code bftlab node} JVMs from {@code cluster-configs/local-4}, driven by
 * {@code bftlab client load}: 200 transactions commit with identical heads on every node; then
 * all four are killed with SIGKILL and restarted on the same LevelDB directories — the heads are
 * unchanged and new transactions commit.
 */
class MultiProcessClusterIT {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path JAR = ROOT.resolve("target/bftlab-0.1.0-SNAPSHOT-all.jar");
  private static final Path LOGS = ROOT.resolve("target/it-logs");
  private static final ObjectMapper JSON = Json.mapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private final List<Process> nodes = new ArrayList<>(List.of());
  private Path dataRoot;

  @AfterEach
  void killAll() {
    nodes.forEach(p -> p.destroyForcibly());
  }

  @Test
  void commitsKillsAllWithSigkillRestartsAndCommitsAgain() throws Exception {
    assertThat(JAR).as("the shaded jar built by 'mvn package'").exists();
    Files.createDirectories(LOGS);
    dataRoot = Files.createTempDirectory("bftlab-it-");
    ownerOnlyKeys();
    startAll("first");
    awaitAllUp();

    Process load = client("load-1", "load", "--transactions", "200", "--concurrency", "32", "--json");
    assertThat(load.waitFor(5, TimeUnit.MINUTES)).as("client load finished").isTrue();
    assertThat(load.exitValue()).as("client load exit code (see target/it-logs/load-1.log)").isZero();
    JsonNode report = JSON.readTree(Files.readString(LOGS.resolve("load-1.out")));
    assertThat(report.get("submitted").asLong()).isEqualTo(200);
    assertThat(report.get("committed").asLong()).as("committed by the f+1 rule").isGreaterThanOrEqualTo(195);

    List<NodeStatus> before = awaitIdenticalHeads(1);
    long heightBefore = before.get(0).height();
    System.out.println("before SIGKILL: height " + heightBefore + ", head " + before.get(0).headHash());

    for (Process p : nodes) {
      p.destroyForcibly();  // SIGKILL on Linux: no shutdown hooks, no journal flush
    }
    for (Process p : nodes) {
      p.waitFor(30, TimeUnit.SECONDS);
    }
    nodes.clear();

    startAll("restart");
    awaitAllUp();
    List<NodeStatus> recovered = awaitIdenticalHeads(heightBefore);
    assertThat(recovered.get(0).height()).as("no block lost").isEqualTo(heightBefore);
    assertThat(recovered.get(0).headHash()).as("same head after recovery").isEqualTo(before.get(0).headHash());

    Process again = client("load-2", "load", "--transactions", "20", "--concurrency", "8", "--json");
    assertThat(again.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(again.exitValue()).as("second load exit code (see target/it-logs/load-2.log)").isZero();
    List<NodeStatus> after = awaitIdenticalHeads(heightBefore + 1);
    assertThat(after.get(0).height()).isGreaterThan(heightBefore);
  }

  /**
   * Git checks the development keys out 0644, which a node refuses (keys at rest, as ssh):
   * do what the README tells an operator, chmod 600.
   */
  private static void ownerOnlyKeys() throws IOException {
    for (String dir : List.of("nodes", "clients", "admins")) {
      try (var keys = Files.list(ROOT.resolve("cluster-configs/local-4").resolve(dir))) {
        for (Path k : keys.filter(p -> p.toString().endsWith(".key")).toList()) {
          Files.setPosixFilePermissions(k,
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
  }

  private void startAll(String phase) throws IOException {
    for (int i = 0; i < 4; i++) {
      ProcessBuilder pb = new ProcessBuilder("java", "-Xmx384m", "-XX:+UseSerialGC", "-jar", JAR.toString(),
          "node", "--config", "cluster-configs/local-4/node-" + i + ".conf",
          "--data-dir", dataRoot.resolve("node-" + i).toString())
          .directory(ROOT.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(LOGS.resolve("node-" + i + ".log").toFile()));
      nodes.add(pb.start());
    }
  }

  private Process client(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx384m", "-jar", JAR.toString(), "client"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectError(LOGS.resolve(name + ".log").toFile())
        .redirectOutput(LOGS.resolve(name + ".out").toFile())
        .start();
  }

  private void awaitAllUp() throws InterruptedException {
    poll("every node answers GET /status", () -> {
      List<NodeStatus> s = statuses();
      return s.size() == 4 ? Optional.of(s) : Optional.empty();
    });
  }

  private List<NodeStatus> awaitIdenticalHeads(long minHeight) throws InterruptedException {
    return poll("identical heads at height >= " + minHeight + " on all 4 nodes", () -> {
      List<NodeStatus> s = statuses();
      if (s.size() == 4 && s.stream().allMatch(x -> x.height() >= minHeight)
          && s.stream().map(NodeStatus::headHash).distinct().count() == 1
          && s.stream().map(NodeStatus::height).distinct().count() == 1) {
        return Optional.of(s);
      }
      return Optional.empty();
    });
  }

  private List<NodeStatus> statuses() {
    List<NodeStatus> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:808" + i + "/status")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          out.add(JSON.readValue(r.body(), NodeStatus.class));
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return out;
  }

  /** Polls {@code probe} every 250 ms until it yields a value or {@link #DEADLINE} passes. */
  private static <T> T poll(String what, Supplier<Optional<T>> probe) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    Object lock = new Object();
    while (System.nanoTime() < end) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      synchronized (lock) {
        lock.wait(250);  // a polling interval, not synchronisation: the deadline decides
      }
    }
    throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for: " + what);
  }
}
