package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bftlab.core.msg.Request;

/**
 * The primary's pool of requests waiting to be proposed, oldest first (TOCS'02 §5.1 batching;
 * adaptive: see {@link #batches}).
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
   * The batches to propose now (TOCS'02 §5.1, adaptive batching): at most {@code room} batches
   * (the free places of the pipeline of in-flight batches, and below the high watermark), each
   * of at most {@code batchSize} requests of {@code queue} (oldest first). A full batch goes at
   * once; a partial one goes when its oldest request has waited at least {@code timeoutTicks} at
   * tick {@code now} (0: at once). While the pipeline is full ({@code room == 0}) nothing goes
   * and the pool grows, so the next batch carries what arrived meanwhile: batches grow with load
   * while a lone request is proposed as soon as the pipeline has room.
   *
   * @return the batches in proposal order; empty when nothing may go now
   */
  static List<List<Request>> batches(List<Queued> queue, int batchSize, int timeoutTicks,
      long now, long room) {
    List<List<Request>> out = new ArrayList<>();
    int i = 0;
    while (out.size() < room && i < queue.size()) {
      int remaining = queue.size() - i;
      boolean full = remaining >= batchSize;
      boolean waited = now - queue.get(i).atTick() >= timeoutTicks;
      if (!full && !waited) {
        break;
      }
      int take = Math.min(batchSize, remaining);
      out.add(queue.subList(i, i + take).stream().map(Queued::request).toList());
      i += take;
    }
    return out;
  }
}
