package org.bftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.bftlab.codec.Json;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

class LoadReportTest {
  private static LoadReport known() {
    Histogram h = new Histogram(3);
    for (int ms = 1; ms <= 1000; ms++) {
      h.recordValue(ms * 1000L); // 1 ms .. 1000 ms, in µs
    }
    return LoadReport.of(1010, 1005, 1000, 2, Map.of("DUPLICATE_TXID", 1L, "UNAVAILABLE", 4L),
        Map.of(ValidationCode.VALID, 950L, ValidationCode.CONTRACT_REJECTED, 50L),
        Map.of("OVERDRAFT", Map.of("CONTRACT_REJECTED", 50L)), "caught at the gateway", 2000, h);
  }

  @Test
  void percentilesComeFromTheHistogramInMilliseconds() {
    LoadReport r = known();
    assertThat(r.p50Ms()).isCloseTo(500, within(1.0));
    assertThat(r.p90Ms()).isCloseTo(900, within(1.0));
    assertThat(r.p99Ms()).isCloseTo(990, within(1.0));
    assertThat(r.maxMs()).isCloseTo(1000, within(1.0));
    assertThat(r.txPerSecond()).isEqualTo(500.0); // 1000 committed / 2 s
  }

  @Test
  void anEmptyHistogramGivesZeros() {
    LoadReport r = LoadReport.of(0, 0, 0, 0, Map.of(), Map.of(), Map.of(), "-", 0,
        new Histogram(3));
    assertThat(r.p50Ms()).isZero();
    assertThat(r.maxMs()).isZero();
    assertThat(r.txPerSecond()).isZero();
  }

  @Test
  void jsonAndTextCarryEveryFigure() throws Exception {
    LoadReport r = known();
    JsonNode json = Json.mapper().readTree(r.toJson());
    assertThat(json.get("committed").asLong()).isEqualTo(1000);
    assertThat(json.get("rejectedAtGateway").get("UNAVAILABLE").asLong()).isEqualTo(4);
    assertThat(json.get("byValidationCode").get("CONTRACT_REJECTED").asLong()).isEqualTo(50);
    assertThat(json.get("txPerSecond").asDouble()).isEqualTo(500.0);
    assertThat(json.get("p99Ms").asDouble()).isCloseTo(990, within(1.0));

    String text = r.toText();
    assertThat(text).contains("committed (f+1)", "1000", "rejected at gateway DUPLICATE_TXID",
        "validation CONTRACT_REJECTED", "500.0 tx/s", "latency p50", "kind OVERDRAFT");
    // Aligned: every value starts in the same column.
    int column = text.lines().findFirst().orElseThrow().indexOf("1010");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.charAt(column - 1)).isEqualTo(' '));
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.charAt(column)).isNotEqualTo(' '));
  }
}
