package org.bftlab.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Peer messages dropped because they could not be decoded (malformed CBOR, an unknown message
 * type, a value its record refuses, a read limit exceeded, oversized): counted per peer, and
 * reported at most once per peer per {@link #REPORT_EVERY_NANOS} so that a peer sending garbage
 * cannot flood the log. Thread-safe.
 */
public final class WireDrops {
  /** One report per peer per minute. */
  public static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LongSupplier nanoClock;
  private final AtomicLong total = new AtomicLong();
  private final Map<String, AtomicLong> byPeer = new ConcurrentHashMap<>();
  private final Map<String, Long> lastReport = new ConcurrentHashMap<>();

  /** With {@link System#nanoTime()}. */
  public WireDrops() {
    this(System::nanoTime);
  }

  WireDrops(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /**
   * Counts one dropped message from {@code peer}.
   *
   * @return true when this drop should be logged (the first from this peer in a minute)
   */
  public boolean record(String peer) {
    total.incrementAndGet();
    byPeer.computeIfAbsent(peer, p -> new AtomicLong()).incrementAndGet();
    long now = nanoClock.getAsLong();
    boolean[] report = {false};
    lastReport.compute(peer, (p, last) -> {
      if (last == null || now - last >= REPORT_EVERY_NANOS) {
        report[0] = true;
        return now;
      }
      return last;
    });
    return report[0];
  }

  /** Messages dropped from every peer so far. */
  public long total() {
    return total.get();
  }

  /** Messages dropped from {@code peer} so far. */
  public long from(String peer) {
    AtomicLong n = byPeer.get(peer);
    return n == null ? 0 : n.get();
  }
}
