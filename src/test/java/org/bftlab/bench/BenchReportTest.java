package org.bftlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link BenchReport}: the live-heap trend and the per-directory bytes in the table. */
class BenchReportTest {
  private static BenchWindow window(int k, List<Double> heap) {
    return new BenchWindow(k, 60, 60_000, 0, 1_000, 30, 40, 90, 120, 1_000, 100, 40, 1.1,
        2_500, heap, 2.2, 3.3, 4.4, 0.7,
        Map.of("journal", 700.0, "blocks", 400.0, "index", 150.0, "snapshots", 20.0));
  }

  private static BenchReport report(List<List<Double>> heaps) {
    List<BenchWindow> w = new ArrayList<>();
    for (int k = 0; k < heaps.size(); k++) {
      w.add(window(k + 1, heaps.get(k)));
    }
    return new BenchReport(4, 1, 64, 120, w);
  }

  @Test
  void aHeapThatGrowsShowsInTheTrendFromTheSecondWindowOn() {
    BenchReport r = report(List.of(List.of(10.0), List.of(50.0, 50.0), List.of(55.0, -1.0),
        List.of(60.0, 60.0), List.of(64.0, 66.0)));
    BenchReport.HeapTrend t = r.heapTrend().orElseThrow();
    assertThat(t.firstWindow()).isEqualTo(2);
    assertThat(t.lastWindow()).isEqualTo(5);
    assertThat(t.startMb()).isCloseTo(50.0, within(0.01));
    assertThat(t.endMb()).isCloseTo(65.0, within(0.01));
    assertThat(t.changePercent()).isCloseTo(30.0, within(0.01));
  }

  @Test
  void aSawtoothWithoutGrowthIsFlat() {
    BenchReport r = report(List.of(List.of(40.0), List.of(48.0), List.of(70.0), List.of(48.0),
        List.of(70.0), List.of(48.0), List.of(70.0), List.of(48.0), List.of(70.0),
        List.of(48.0)));
    assertThat(r.heapTrend().orElseThrow().changePercent()).isBetween(-10.0, 10.0);
  }

  @Test
  void noTrendFromFewerThanThreeReadableWindowsAfterTheFirst() {
    assertThat(report(List.of(List.of(40.0), List.of(48.0), List.of(50.0))).heapTrend())
        .as("the default three windows: two readings after the first are no line").isEmpty();
    assertThat(report(List.of(List.of(40.0), List.of(48.0), List.of(-1.0, -1.0),
        List.of(50.0))).heapTrend()).isEmpty();
  }

  @Test
  void theTablePrintsEachDirectorysBytesAndTheTrend() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report(List.of(List.of(40.0), List.of(48.0), List.of(50.0), List.of(52.0)))
        .printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("journal", "snapshots")
        .containsPattern("(?m)^1 +700 +400 +150 +20$")
        .contains("48.0 -> 52.0 MiB (+8.3 %)");
  }
}
