package org.bftlab.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The directive in front of every admin route: reads the body (at most {@link #MAX_BODY_BYTES};
 * more is 413 {@code TOO_LARGE}), lets {@link AdminAuth} check the signed request and answers
 * its refusal as an {@link ErrorBody}; only a request that passes reaches the inner route.
 */
final class AdminGate extends AllDirectives {
  /** Largest admin request body, bytes. */
  static final long MAX_BODY_BYTES = 64 * 1024;

  private final AdminAuth auth;
  private final Function<ApiError, HttpResponse> errors;

  AdminGate(AdminAuth auth, Function<ApiError, HttpResponse> errors) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** {@code inner}, reached only by a request {@link AdminAuth#check} lets through. */
  Route guard(Supplier<Route> inner) {
    return toStrictEntity(Duration.ofSeconds(5), MAX_BODY_BYTES, () -> extractRequest(req -> {
      byte[] body = req.entity() instanceof HttpEntity.Strict strict
          ? strict.getData().toArray() : new byte[0];
      Optional<ApiError> refused = auth.check(req.method().value(), target(req),
          header(req, AdminSignature.ADMIN_HEADER), header(req, AdminSignature.TIMESTAMP_HEADER),
          header(req, AdminSignature.SIGNATURE_HEADER), body);
      return refused.map(e -> complete(errors.apply(e))).orElseGet(inner);
    }));
  }

  /** The path and the raw query, as the client sent them: what {@link AdminSignature} signs. */
  static String target(HttpRequest req) {
    return req.getUri().path() + req.getUri().rawQueryString().map(q -> "?" + q).orElse("");
  }

  private static Optional<String> header(HttpRequest req, String name) {
    return req.getHeader(name).map(HttpHeader::value);
  }
}
