package org.bftlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.bftlab.codec.Json;
import org.bftlab.core.msg.ValidationCode;

/**
 * The result of a {@link LoadGenerator} run.
 *
 * @param transactions steps in the workload
 * @param submitted requests posted to a gateway (including the ones it rejected)
 * @param committed transactions whose outcome f+1 replicas confirmed, whatever its code
 * @param timedOut transactions accepted but not confirmed within the commit timeout
 * @param rejectedAtGateway requests a gateway refused, by error code (e.g. {@code
 *     DUPLICATE_TXID}, {@code UNAVAILABLE}, {@code UNREACHABLE})
 * @param byValidationCode confirmed transactions per validation code; the replay, when the
 *     gateway accepted it, is counted under {@code DUPLICATE_TXID} (see {@code replay})
 * @param byKind per workload kind ({@code MINT}, {@code TRANSFER}, {@code OVERDRAFT}, {@code
 *     REPLAY}): outcome → count, where an outcome is a validation code, {@code gateway:<CODE>},
 *     {@code TIMEOUT} or {@code ERROR}
 * @param replay how the replay was caught, one sentence
 * @param elapsedMs wall time of the run, milliseconds
 * @param txPerSecond committed / elapsed seconds
 * @param p50Ms median latency submit → f+1 confirmation, milliseconds
 * @param p90Ms 90th percentile latency, milliseconds
 * @param p99Ms 99th percentile latency, milliseconds
 * @param maxMs largest latency, milliseconds
 */
public record LoadReport(int transactions, long submitted, long committed, long timedOut,
    Map<String, Long> rejectedAtGateway, Map<ValidationCode, Long> byValidationCode,
    Map<String, Map<String, Long>> byKind, String replay, long elapsedMs, double txPerSecond,
    double p50Ms, double p90Ms, double p99Ms, double maxMs) {

  public LoadReport {
    rejectedAtGateway = new TreeMap<>(rejectedAtGateway);
    byValidationCode = byValidationCode.isEmpty() ? new EnumMap<>(ValidationCode.class)
        : new EnumMap<>(byValidationCode);
    Map<String, Map<String, Long>> kinds = new TreeMap<>();
    byKind.forEach((k, v) -> kinds.put(k, new TreeMap<>(v)));
    byKind = kinds;
  }

  /**
   * A report whose latency columns come from {@code latencyMicros} (values in microseconds;
   * percentiles are HdrHistogram's, accurate to its significant digits).
   */
  public static LoadReport of(int transactions, long submitted, long committed, long timedOut,
      Map<String, Long> rejectedAtGateway, Map<ValidationCode, Long> byValidationCode,
      Map<String, Map<String, Long>> byKind, String replay, long elapsedMs,
      Histogram latencyMicros) {
    double tps = elapsedMs <= 0 ? 0 : committed * 1000.0 / elapsedMs;
    boolean empty = latencyMicros.getTotalCount() == 0;
    return new LoadReport(transactions, submitted, committed, timedOut, rejectedAtGateway,
        byValidationCode, byKind, replay, elapsedMs, tps,
        empty ? 0 : latencyMicros.getValueAtPercentile(50) / 1000.0,
        empty ? 0 : latencyMicros.getValueAtPercentile(90) / 1000.0,
        empty ? 0 : latencyMicros.getValueAtPercentile(99) / 1000.0,
        empty ? 0 : latencyMicros.getMaxValue() / 1000.0);
  }

  /** Pretty-printed JSON (field names as in this record). */
  public String toJson() {
    try {
      return Json.mapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An aligned two-column table, one line per figure, ending with a newline. */
  public String toText() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"transactions", Long.toString(transactions)});
    rows.add(new String[] {"submitted", Long.toString(submitted)});
    rows.add(new String[] {"committed (f+1)", Long.toString(committed)});
    rows.add(new String[] {"timed out", Long.toString(timedOut)});
    rejectedAtGateway.forEach((code, n) ->
        rows.add(new String[] {"rejected at gateway " + code, Long.toString(n)}));
    byValidationCode.forEach((code, n) ->
        rows.add(new String[] {"validation " + code, Long.toString(n)}));
    byKind.forEach((kind, outcomes) -> outcomes.forEach((o, n) ->
        rows.add(new String[] {"kind " + kind + " → " + o, Long.toString(n)})));
    rows.add(new String[] {"replay", replay});
    rows.add(new String[] {"elapsed", elapsedMs + " ms"});
    rows.add(new String[] {"throughput", fmt(txPerSecond) + " tx/s"});
    rows.add(new String[] {"latency p50", fmt(p50Ms) + " ms"});
    rows.add(new String[] {"latency p90", fmt(p90Ms) + " ms"});
    rows.add(new String[] {"latency p99", fmt(p99Ms) + " ms"});
    rows.add(new String[] {"latency max", fmt(maxMs) + " ms"});
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", r[0], r[1]));
    }
    return b.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
