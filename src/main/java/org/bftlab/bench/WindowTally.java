package org.bftlab.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Outcomes recorded during one window: latencies in microseconds (HdrHistogram, 3 digits). */
final class WindowTally {
  private final Histogram latencyMicros = new ConcurrentHistogram(3);
  private final AtomicLong failed = new AtomicLong();

  void committed(long micros) {
    latencyMicros.recordValue(Math.max(0, micros));
  }

  void failed() {
    failed.incrementAndGet();
  }

  long committed() {
    return latencyMicros.getTotalCount();
  }

  long failedCount() {
    return failed.get();
  }

  double percentileMs(double p) {
    return latencyMicros.getTotalCount() == 0 ? 0
        : latencyMicros.getValueAtPercentile(p) / 1000.0;
  }

  double maxMs() {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
  }
}
