package org.bftlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabReadingsTest {
  @Test
  void procReadingsOfThisProcessGrowWithWork() throws IOException {
    long pid = ProcessHandle.current().pid();
    ProcReadings a = ProcReadings.of(pid);
    long x = 0;
    long end = System.nanoTime() + 200_000_000L;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    ProcReadings b = ProcReadings.of(pid);
    assertThat(x).isNotNegative();
    assertThat(b.minus(a).cpuNanos()).as("200 ms of busy work shows as CPU time")
        .isGreaterThanOrEqualTo(50_000_000L);
  }

  @Test
  void procReadingsOfAMissingProcessFail() {
    assertThatThrownBy(() -> ProcReadings.of(Integer.MAX_VALUE)).isInstanceOf(IOException.class);
  }

  @Test
  void gcLogGivesTheHeapAfterTheLastCollection(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("gc.log");
    assertThat(GcLog.lastHeapAfterGc(log)).isEmpty();
    Files.writeString(log, """
        [0.010s][info][gc] Using Serial
        [1.234s][info][gc] GC(0) Pause Young (Allocation Failure) 34M->9M(123M) 5.123ms
        [2.345s][info][gc] GC(1) Pause Young (Allocation Failure) 42M->12M(123M) 4.001ms
        """);
    assertThat(GcLog.lastHeapAfterGc(log)).hasValue(12L << 20);
    assertThat(GcLog.lastHeapAfterFullGc(log)).as("no full collection yet").isEmpty();
    assertThat(GcLog.fullCollections(log)).isZero();
    Files.writeString(log, """
        [3.100s][info][gc] GC(2) Pause Full (System.gc()) 50M->7M(123M) 40.000ms
        [3.500s][info][gc] GC(3) Pause Young (Allocation Failure) 41M->15M(123M) 3.000ms
        """, java.nio.file.StandardOpenOption.APPEND);
    assertThat(GcLog.lastHeapAfterFullGc(log)).as("the live set at the full collection")
        .hasValue(7L << 20);
    assertThat(GcLog.lastHeapAfterGc(log)).hasValue(15L << 20);
    assertThat(GcLog.fullCollections(log)).isEqualTo(1);
  }

  @Test
  void layoutHasOneConfigPerNodeOnFreePortsAndEachNodesHost(@TempDir Path dir) throws IOException {
    ClusterLayout l = ClusterLayout.generate(dir, new ClusterLayout.Spec("lab-test", 4, 1,
        i -> "127.0.0." + (10 + i), 0, 0, "bftlab.protocol.retransmit-ticks = 20"));
    assertThat(l.n()).isEqualTo(4);
    assertThat(l.f()).isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      String conf = Files.readString(l.configFile(i));
      assertThat(conf).contains("node-id = \"node-" + i + "\"")
          .contains("http.host = \"127.0.0." + (10 + i) + "\"")
          .contains("retransmit-ticks = 20");
      assertThat(l.url(i).getHost()).isEqualTo("127.0.0." + (10 + i));
    }
    assertThat(l.genesis().nodes()).extracting(n -> n.pekkoPort()).doesNotHaveDuplicates();
    assertThat(Files.exists(l.clientKey(0))).isTrue();
  }
}
