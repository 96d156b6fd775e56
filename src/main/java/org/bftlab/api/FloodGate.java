package org.bftlab.api;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Back-pressure in front of every route ({@link HttpLimits}): a remote address over its rate gets
 * 429 {@code TOO_MANY_REQUESTS}, and when the request pool is full (that many requests being
 * served) 503 {@code UNAVAILABLE}; both carry {@code Retry-After: 1} and cost the node nothing
 * but the answer, so a flood of valid or invalid requests slows its senders down instead of
 * growing queues in front of the protocol actors (whose own messages travel between replicas,
 * outside this door). {@code /health} and {@code /ready} bypass it. Counts what it refused.
 */
final class FloodGate extends AllDirectives {
  private final HttpLimits limits;
  private final Function<ApiError, HttpResponse> errors;
  private final LongSupplier nanoClock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong refusedFull = new AtomicLong();
  private final AtomicLong refusedRate = new AtomicLong();
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  FloodGate(HttpLimits limits, Function<ApiError, HttpResponse> errors, LongSupplier nanoClock) {
    this.limits = limits;
    this.errors = errors;
    this.nanoClock = nanoClock;
  }

  /** {@code inner} for requests the gate lets through; released when their answer is ready. */
  Route guard(Supplier<Route> inner) {
    return extractRequest(req -> {
      String path = req.getUri().path();
      if (path.equals("/health") || path.equals("/ready")) {
        return inner.get();
      }
      return extractClientIP(ip -> {
        Optional<ApiError> refused = enter(host(ip));
        if (refused.isPresent()) {
          return complete(retryLater(refused.get()));
        }
        return mapRouteResultFuture(f -> f.whenComplete((r, e) -> leave()), inner);
      });
    });
  }

  /** The address a request came from, as the rate is kept per host. */
  static String host(org.apache.pekko.http.javadsl.model.RemoteAddress ip) {
    return ip.getAddress().map(a -> a.getHostAddress()).orElse("unknown");
  }

  /**
   * Lets one request from {@code host} in, or says why not: 429 {@code TOO_MANY_REQUESTS} over
   * the host's rate, 503 {@code UNAVAILABLE} when the pool is full. Every request let in must
   * be {@link #leave() left} when its answer is ready. Used per HTTP request and per
   * transaction submitted on a reply WebSocket ({@link ReplyPush}).
   */
  Optional<ApiError> enter(String host) {
    if (!take(host)) {
      refusedRate.incrementAndGet();
      return Optional.of(new ApiError(429, ApiError.TOO_MANY_REQUESTS, host
          + " sent more than " + (long) limits.ratePerHost() + " requests/s (bursts of "
          + limits.burstPerHost() + "); retry after 1 s"));
    }
    if (inFlight.incrementAndGet() > limits.maxInFlight()) {
      inFlight.decrementAndGet();
      refusedFull.incrementAndGet();
      return Optional.of(ApiError.unavailable("the node is serving "
          + limits.maxInFlight() + " requests, its limit; retry after 1 s"));
    }
    return Optional.empty();
  }

  /** One request let in by {@link #enter} has its answer. */
  void leave() {
    inFlight.decrementAndGet();
  }

  /** Requests being served now. */
  int inFlight() {
    return inFlight.get();
  }

  /** Requests refused because the pool was full (503). */
  long refusedFull() {
    return refusedFull.get();
  }

  /** Requests refused because their host was over its rate (429). */
  long refusedRate() {
    return refusedRate.get();
  }

  private HttpResponse retryLater(ApiError e) {
    return errors.apply(e).addHeader(RawHeader.create("Retry-After", "1"));
  }

  /** Token bucket per host; the map is pruned of full buckets when it grows past 10,000. */
  private boolean take(String host) {
    if (buckets.size() > 10_000) {
      long now = nanoClock.getAsLong();
      buckets.values().removeIf(b -> b.full(now));
    }
    return buckets.computeIfAbsent(host, h -> new Bucket(limits.burstPerHost(),
        nanoClock.getAsLong())).take(nanoClock.getAsLong());
  }

  /** A token bucket: {@code burst} tokens, refilled at {@code ratePerHost} per second. */
  private final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized boolean take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= limits.burstPerHost();
    }

    private void refill(long now) {
      tokens = Math.min(limits.burstPerHost(), tokens + (now - last) / 1e9 * limits.ratePerHost());
      last = now;
    }
  }
}
