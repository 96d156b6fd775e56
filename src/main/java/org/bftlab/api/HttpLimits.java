package org.bftlab.api;

import com.typesafe.config.Config;

/**
 * Bounds of a node's HTTP API under a flood ({@code bftlab.http.limits} in application.conf).
 *
 * @param maxInFlight requests being served at once (the request pool); one more is answered 503
 *     {@code UNAVAILABLE} with {@code Retry-After}; {@code /health} and {@code /ready} are not
 *     counted
 * @param maxConnections open HTTP connections; more are not accepted until one closes
 *     ({@code pekko.http.server.max-connections})
 * @param ratePerHost sustained requests per second from one remote address; over it (after the
 *     burst) 429 {@code TOO_MANY_REQUESTS} with {@code Retry-After}
 * @param burstPerHost requests one remote address may send at once before the rate applies
 */
public record HttpLimits(int maxInFlight, int maxConnections, double ratePerHost,
    int burstPerHost) {
  /** 256 in flight, 512 connections, 2,000 requests/s per host with bursts of 4,000. */
  public static final HttpLimits DEFAULT = new HttpLimits(256, 512, 2000, 4000);

  public HttpLimits {
    if (maxInFlight < 1 || maxConnections < 1 || !(ratePerHost > 0) || burstPerHost < 1) {
      throw new IllegalArgumentException("bftlab.http.limits: max-in-flight, max-connections, "
          + "rate-per-host and burst-per-host must be positive, got " + maxInFlight + ", "
          + maxConnections + ", " + ratePerHost + ", " + burstPerHost);
    }
  }

  /**
   * Reads {@code max-in-flight}, {@code max-connections}, {@code rate-per-host} and
   * {@code burst-per-host}; a missing one keeps its default.
   *
   * @throws IllegalArgumentException naming a value that is not positive
   */
  public static HttpLimits from(Config c) {
    return new HttpLimits(
        c.hasPath("max-in-flight") ? c.getInt("max-in-flight") : DEFAULT.maxInFlight,
        c.hasPath("max-connections") ? c.getInt("max-connections") : DEFAULT.maxConnections,
        c.hasPath("rate-per-host") ? c.getDouble("rate-per-host") : DEFAULT.ratePerHost,
        c.hasPath("burst-per-host") ? c.getInt("burst-per-host") : DEFAULT.burstPerHost);
  }
}
