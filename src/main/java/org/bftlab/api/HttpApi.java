package org.bftlab.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;

/**
 * Starts the node's HTTP API (routes and JSON shapes in {@link Routes}, gateway checks in
 * {@link Gateway}, error codes in {@link ApiError}).
 *
 * <pre>{@code
 * ServerBinding b = HttpApi.bind(system, "0.0.0.0", 8080, facade, params, authenticator)
 *     .toCompletableFuture().join();
 * int port = b.localAddress().getPort();   // the real port when 0 was asked for
 * }</pre>
 */
public final class HttpApi {
  /** How long a route waits for the node before answering 503 UNAVAILABLE. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private HttpApi() {}

  /**
   * Binds the API on {@code host:port} ({@code port} 0 = any free port) with
   * {@link #DEFAULT_REQUEST_TIMEOUT}.
   *
   * @return the binding; fails if the port cannot be bound
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port,
      NodeFacade facade, ProtocolParams params, Authenticator verifier) {
    return bind(system, host, port, facade, params, verifier, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * Binds the API on {@code host:port} ({@code port} 0 = any free port).
   *
   * @param requestTimeout how long a route waits for {@code facade} before answering 503
   *     UNAVAILABLE; keep it below {@code pekko.http.server.request-timeout} (20 s by default)
   * @return the binding; fails if the port cannot be bound
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port,
      NodeFacade facade, ProtocolParams params, Authenticator verifier, Duration requestTimeout) {
    return bind(system, host, port, facade, params, verifier, requestTimeout, AdminAuth.off());
  }

  /**
   * Binds the API on {@code host:port} with the admin routes guarded by {@code adminAuth}.
   *
   * @param adminAuth who may call {@code /admin/*}; {@link AdminAuth#off()} answers them 404
   * @return the binding; fails if the port cannot be bound
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port,
      NodeFacade facade, ProtocolParams params, Authenticator verifier, Duration requestTimeout,
      AdminAuth adminAuth) {
    return bind(system, host, port, facade, params, verifier, requestTimeout, adminAuth,
        HttpLimits.DEFAULT);
  }

  /**
   * Binds the API on {@code host:port} with the admin routes guarded by {@code adminAuth} and the
   * request pool, per-host rate and connection count bounded by {@code limits}; requests that
   * Pekko refuses while parsing (414, 431 …) are answered as {@link ErrorBody}
   * ({@link JsonParsingErrorHandler}).
   *
   * @return the binding; fails if the port cannot be bound
   */
  public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port,
      NodeFacade facade, ProtocolParams params, Authenticator verifier, Duration requestTimeout,
      AdminAuth adminAuth, HttpLimits limits) {
    Routes routes = new Routes(facade, params, verifier, requestTimeout, adminAuth, limits);
    return Http.get(system).newServerAt(host, port).withSettings(serverSettings(system, limits))
        .bind(routes.route());
  }

  /** The system's server settings with bftlab's parsing error handler and connection bound. */
  static ServerSettings serverSettings(ActorSystem<?> system, HttpLimits limits) {
    Config c = ConfigFactory.parseMap(Map.of(
        "pekko.http.server.parsing.error-handler", JsonParsingErrorHandler.class.getName(),
        "pekko.http.server.max-connections", limits.maxConnections(),
        "pekko.http.server.remote-address-attribute", "on"))
        .withFallback(system.settings().config());
    return ServerSettings.create(c);
  }
}
