package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bftlab.core.msg.Request;

/**
 * The primary's pool of requests waiting to be proposed, oldest first (TOCS'02 §5.1 batching).
 * Volatile: lost on restart (clients retransmit, OSDI'99 §4.1).
 */
final class Batcher {
  /** A pending request and the tick at which it was queued. */
  record Queued(Request request, long atTick) {}

  private final Map<String, Queued> pool = new LinkedHashMap<>();

  int size() {
    return pool.size();
  }

  boolean contains(String txId) {
    return pool.containsKey(txId);
  }

  void add(Request request, long atTick) {
    pool.putIfAbsent(request.txId(), new Queued(request, atTick));
  }

  void removeAll(Collection<Request> requests) {
    requests.forEach(r -> pool.remove(r.txId()));
  }

  void clear() {
    pool.clear();
  }

  /** The pool in queueing order. */
  List<Queued> snapshot() {
    return new ArrayList<>(pool.values());
  }

  /**
   * The batches to propose now from {@code queue} (oldest first): full batches of
   * {@code batchSize} while at least that many are waiting, then, if {@code timerMayFire}, one
   * partial batch when its oldest request has waited at least {@code timeoutTicks} at tick
   * {@code now}; at most {@code maxBatches} in all (the room below the high watermark).
   */
  static List<List<Request>> batches(List<Queued> queue, int batchSize, int timeoutTicks,
      long now, boolean timerMayFire, long maxBatches) {
    List<List<Request>> out = new ArrayList<>();
    int i = 0;
    while (out.size() < maxBatches && i < queue.size()) {
      int remaining = queue.size() - i;
      boolean full = remaining >= batchSize;
      boolean timedOut = timerMayFire && now - queue.get(i).atTick() >= timeoutTicks;
      if (!full && !timedOut) {
        break;
      }
      int take = Math.min(batchSize, remaining);
      out.add(queue.subList(i, i + take).stream().map(Queued::request).toList());
      i += take;
    }
    return out;
  }
}
