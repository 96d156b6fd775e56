package org.bftlab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.crypto.VerifiedRequests;
import org.junit.jupiter.api.Test;

/** {@link NodeMetrics} in isolation: names, values and the text format ({@link PrometheusText}). */
class NodeMetricsTest {
  private static final ProtocolParams P = ProtocolParams.defaults("metrics-test", 4);

  @Test
  void aNewViewMovesTheViewPrimaryAndViewChangeCounterAndTheScrapeParses() {
    try (NodeMetrics m = new NodeMetrics(new NodeId(1), P)) {
      m.bind(() -> 2, () -> 5, () -> new VerifiedRequests.Counts(7, 11, 13, 3), () -> 0);
      PrometheusText before = PrometheusText.parse(m.scrape());
      assertThat(before.value("consensus_view_changes_total")).isEqualTo(0.0);
      assertThat(before.value("consensus_is_primary", "node", "node-1")).isEqualTo(0.0);
      assertThat(before.types()).containsEntry("consensus_view_changes_total", "counter")
          .containsEntry("consensus_height", "gauge");

      m.persisted("election", List.of(new ElectionEvent.NewViewInstalled(1, new NodeId(1), 0,
          List.of())), 2_000_000);
      m.persisted("block-commit", List.of(new BlockCommitEvent.CheckpointStable(16,
          Digest.ZERO)), 1_000_000);
      m.http(4, 6, 1);
      PrometheusText after = PrometheusText.parse(m.scrape());
      assertThat(after.value("consensus_view_changes_total")).isEqualTo(1.0);
      assertThat(after.value("consensus_view")).isEqualTo(1.0);
      assertThat(after.value("consensus_primary_id")).isEqualTo(1.0);
      assertThat(after.value("consensus_is_primary")).isEqualTo(1.0);
      assertThat(after.value("consensus_stable_checkpoint")).isEqualTo(16.0);
      assertThat(after.value("journal_persist_seconds_count", "component", "election"))
          .isEqualTo(1.0);
      assertThat(after.value("consensus_replicas_reachable")).isEqualTo(3.0);
      assertThat(after.value("consensus_messages_dropped_total", "reason", "fault-rule"))
          .isEqualTo(5.0);
      assertThat(after.value("crypto_verifications_total", "signer", "client")).isEqualTo(13.0);
      assertThat(after.value("http_requests_refused_total", "status", "429")).isEqualTo(6.0);
      assertThat(after.value("jvm_memory_used_bytes")).isPositive();
    }
  }

  @Test
  void aDivergenceSeenOnlineCountsAsASafetyViolation() {
    try (NodeMetrics m = new NodeMetrics(new NodeId(0), P)) {
      assertThat(PrometheusText.parse(m.scrape()).value("consensus_safety_violations_total",
          "check", "stable-checkpoint-differs")).isEqualTo(0.0);
      Digest own = Digest.sha256("own".getBytes());
      Digest certified = Digest.sha256("certified".getBytes());
      m.applied("block-commit", new BlockCommitEvent.CheckpointMismatch(new org.bftlab.core.msg
          .Checkpoint(16, certified, new NodeId(2), new byte[64]), own));
      m.applied("block-commit", new BlockCommitEvent.StateDiverged(16, own, certified,
          List.of(new NodeId(1), new NodeId(2), new NodeId(3))));
      PrometheusText after = PrometheusText.parse(m.scrape());
      assertThat(after.value("consensus_safety_violations_total", "check",
          "stable-checkpoint-differs")).isEqualTo(1.0);
      assertThat(after.value("consensus_checkpoint_mismatches_total", "peer", "node-2"))
          .isEqualTo(1.0);
    }
  }

  @Test
  void theParserRefusesWhatIsNotPrometheusText() {
    assertThatThrownBy(() -> PrometheusText.parse("{\"signatures\":3}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> PrometheusText.parse("a_total{x=1} 3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE a blob\na 1"))
        .isInstanceOf(IllegalArgumentException.class);
    PrometheusText ok = PrometheusText.parse("# TYPE a_total counter\na_total{x=\"q\\\"\"} 3 17\n");
    assertThat(ok.value("a_total", "x", "q\"")).isEqualTo(3.0);
  }
}
