package org.bftlab.transport.fault;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The clock and timer {@link FaultyTransport} runs on, in ticks. The simulator and tests supply
 * a virtual one; a live cluster uses {@link #ofMillis}.
 */
public interface TickScheduler {
  /** The current tick. */
  long nowTicks();

  /** Runs {@code action} {@code delayTicks} ticks from now (>= 1). */
  void schedule(long delayTicks, Runnable action);

  /**
   * Ticks of {@code tickMillis} ms over a monotonic millisecond clock and an executor (live
   * cluster only; the tick count is {@code (millis() - origin) / tickMillis}).
   *
   * @param tickMillis length of one tick, ms (>= 1)
   * @param millis a monotonic clock in ms, e.g. {@code () -> System.nanoTime() / 1_000_000}
   * @param executor runs delayed sends
   */
  static TickScheduler ofMillis(long tickMillis, LongSupplier millis,
      ScheduledExecutorService executor) {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be >= 1, got " + tickMillis);
    }
    Objects.requireNonNull(millis, "millis");
    Objects.requireNonNull(executor, "executor");
    long origin = millis.getAsLong();
    return new TickScheduler() {
      @Override
      public long nowTicks() {
        return (millis.getAsLong() - origin) / tickMillis;
      }

      @Override
      public void schedule(long delayTicks, Runnable action) {
        executor.schedule(action, delayTicks * tickMillis, TimeUnit.MILLISECONDS);
      }
    };
  }
}
