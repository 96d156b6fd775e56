package org.bftlab.api;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests that Pekko HTTP refuses while parsing them — before any route runs — with the
 * documented {@link ErrorBody} instead of plain text: 414 {@code URI_TOO_LONG} (request target
 * over {@code pekko.http.server.parsing.max-uri-length}), 431 {@code HEADERS_TOO_LARGE} (a header
 * over its limit, or too many headers), 413 {@code TOO_LARGE}, 400 {@code MALFORMED} for any other
 * unparseable request. Installed by {@link HttpApi} as
 * {@code pekko.http.server.parsing.error-handler}.
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log,
      ServerSettings settings) {
    int code = status.intValue();
    String error = switch (code) {
      case 414 -> ApiError.URI_TOO_LONG;
      case 431 -> ApiError.HEADERS_TOO_LARGE;
      case 413 -> ApiError.TOO_LARGE;
      case 400 -> ApiError.MALFORMED;
      default -> status.reason().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    };
    String message = info.summary() == null || info.summary().isEmpty() ? status.reason()
        : info.summary();
    log.debug("HTTP API: refused an unparseable request: {} {}", code, message);
    String json = "{\"error\":\"" + error + "\",\"message\":\"" + escape(message) + "\"}";
    return HttpResponse.create().withStatus(code).withEntity(
        HttpEntities.create(ContentTypes.APPLICATION_JSON, json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
