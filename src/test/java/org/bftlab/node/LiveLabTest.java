package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ViewChangeSupport.phase;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.core.model.NodeId;
import org.bftlab.metrics.PrometheusText;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.bftlab.cli.CheckCommand;
import org.bftlab.codec.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 on an in-JVM 4-node cluster: {@code GET /metrics} is Prometheus text whose height
 * and committed-transaction counters move with a workload, and whose view-change counter moves
 * when the primary (node-0) is stopped and the backups install view 1; every node writes the
 * live trace, {@code GET /trace} streams it, and {@code bftlab check --trace} judges the run
 * safe and live with the simulator's checkers.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LiveLabTest {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  @Test
  void metricsMoveWithTheWorkloadAndAViewChange(@TempDir Path dir) throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 4, 1, "bftlab-lab",
        ConfigFactory.parseString("bftlab.trace.enabled = on"));
    BftlabClient client = ClusterSupport.client(cluster,
        cluster.genesis().clients().get(0).id(), CLIENT_TIMEOUT);
    try {
      List<URI> all = cluster.httpUrls();
      URI node1 = all.get(1);
      PrometheusText idle = scrape(node1);
      assertThat(idle.value("consensus_view_changes_total")).isEqualTo(0.0);
      double committed0 = orZero(idle.value("consensus_committed_txs_total",
          "validation_code", "VALID"));

      phase("8 mints in view 0");
      List<CommittedTx> done = ViewChangeSupport.commitSequentially(client, 8, CLIENT_TIMEOUT);
      long height = done.get(done.size() - 1).blockHeight();
      ClusterSupport.awaitSameHeads(all, height, ClusterSupport.HEADS_TIMEOUT);
      PrometheusText busy = scrape(node1);
      assertThat(busy.value("consensus_height")).isGreaterThanOrEqualTo(height);
      assertThat(busy.value("consensus_committed_txs_total", "validation_code", "VALID"))
          .isGreaterThanOrEqualTo(committed0 + 8);
      assertThat(busy.value("consensus_phase_duration_seconds_count", "phase", "commit"))
          .isPositive();
      assertThat(busy.value("journal_persist_seconds_count", "component", "agreement"))
          .isPositive();
      assertThat(busy.value("consensus_replicas_reachable")).isEqualTo(4.0);
      assertThat(busy.value("consensus_primary_id")).isEqualTo(0.0);
      assertThat(busy.value("crypto_verifications_total", "signer", "client")).isPositive();

      phase("stop node-0 (primary of view 0); 5 mints go through a view change");
      cluster.stop(new NodeId(0));
      List<CompletableFuture<CommittedTx>> pending =
          ViewChangeSupport.submitConcurrently(client, 5, CLIENT_TIMEOUT);
      ViewChangeSupport.awaitView(all.subList(1, 4), 1, Duration.ofSeconds(90));
      ViewChangeSupport.join(pending, CLIENT_TIMEOUT);
      PrometheusText after = scrape(node1);
      System.out.println("node-1 after the view change:\n" + String.join("\n",
          after.samples().stream().filter(s -> s.name().startsWith("consensus_"))
              .map(s -> "  " + s.name() + s.labels() + " " + s.value()).toList()));
      assertThat(after.value("consensus_view_changes_total")).isGreaterThanOrEqualTo(1.0);
      assertThat(after.value("consensus_view")).isEqualTo(1.0);
      assertThat(after.value("consensus_is_primary")).isEqualTo(1.0);
      assertThat(after.value("consensus_replicas_reachable")).isEqualTo(3.0);
      assertThat(after.value("consensus_height")).isGreaterThan(height);
      assertThat(after.value("trace_lines_dropped_total")).isEqualTo(0.0);

      phase("GET /trace streams node-1's live trace as NDJSON");
      HttpResponse<String> trace = ClusterSupport.get(node1, "/trace?from=0");
      assertThat(trace.statusCode()).isEqualTo(200);
      assertThat(trace.headers().firstValue("content-type").orElse(""))
          .startsWith("application/x-ndjson");
      List<String> lines = trace.body().lines().toList();
      assertThat(lines.get(0)).matches("\\{\"seq\":0,\"tick\":\\d+,\"time\":\\d{13},\"kind\":\"run\".*");
      assertThat(lines).anyMatch(l -> l.contains("\"name\":\"CommittedLocal\""))
          .anyMatch(l -> l.contains("\"kind\":\"submit\""))
          .anyMatch(l -> l.contains("\"name\":\"NewViewInstalled\""));
      long late = System.currentTimeMillis() + 60_000;
      assertThat(ClusterSupport.get(node1, "/trace?from=" + late).body()).isEmpty();
    } finally {
      client.close();
      cluster.close();
    }

    phase("bftlab check --trace over the four nodes' traces");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new CheckCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute("--trace", dir.resolve("data").toString(), "--json");
    System.out.println("check: exit " + exit + "\n" + out + err);
    com.fasterxml.jackson.databind.JsonNode v = Json.mapper().readTree(out.toString());
    assertThat(exit).isZero();
    assertThat(v.get("safe").asBoolean()).isTrue();
    assertThat(v.get("live").asBoolean()).isTrue();
    assertThat(v.get("faultModel").asText()).isEqualTo("within");
    assertThat(v.get("checks")).hasSize(8);
  }

  /** {@code GET /metrics} of {@code node}, parsed (fails on anything but Prometheus text). */
  static PrometheusText scrape(URI node) {
    HttpResponse<String> r = ClusterSupport.get(node, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse(""))
        .startsWith("text/plain").contains("version=0.0.4");
    return PrometheusText.parse(r.body());
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
