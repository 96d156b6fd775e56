package org.bftlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.bftlab.api.TransactionBody;
import org.bftlab.codec.Json;
import org.bftlab.core.msg.Request;

/**
 * The HTTP plumbing of the client: {@code POST /transactions} and {@code GET} on one node's
 * base URL, JSON bodies, error bodies ({@code {"error","message"}}) and short descriptions of
 * transport failures. Knows no protocol rule. Thread-safe.
 */
final class NodeHttp {
  static final ObjectMapper JSON = Json.mapper();

  /**
   * An error answer.
   *
   * @param code the node's error code (e.g. {@code DUPLICATE_TXID}), or {@code UNAVAILABLE} /
   *     {@link SubmitRejected#BAD_RESPONSE} when the body is not an error object
   * @param message the node's message, or an excerpt of the body
   */
  record ErrorBody(String code, String message) {}

  private final HttpClient http;
  private final Duration requestTimeout;

  /** @param requestTimeout per HTTP request */
  NodeHttp(HttpClient http, Duration requestTimeout) {
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  /** The underlying HTTP client (shared, e.g. for WebSockets). */
  HttpClient client() {
    return http;
  }

  /** The timeout of each request (and of an acknowledgement on a reply socket). */
  java.time.Duration requestTimeout() {
    return requestTimeout;
  }

  /** {@code POST /transactions} with a {@link #bodyOf} body. */
  CompletableFuture<HttpResponse<String>> post(URI node, byte[] body) {
    HttpRequest req = HttpRequest.newBuilder(resolve(node, "/transactions"))
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return send(req);
  }

  /** {@code GET path} on {@code node}; {@code path} starts with a slash, segments encoded. */
  CompletableFuture<HttpResponse<String>> get(URI node, String path) {
    HttpRequest req = HttpRequest.newBuilder(resolve(node, path)).timeout(requestTimeout)
        .header("Accept", "application/json").GET().build();
    return send(req);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest req) {
    try {
      return http.sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The JSON body that submits {@code request}. */
  static byte[] bodyOf(Request request) {
    try {
      return JSON.writeValueAsBytes(TransactionBody.of(request));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The error of an error response; tolerant of bodies that are not error objects. */
  static ErrorBody errorOf(HttpResponse<String> resp) {
    return errorOf(resp.statusCode(), resp.body());
  }

  /** The error of an error answer with {@code status} and {@code text} (null: empty). */
  static ErrorBody errorOf(int status, String text) {
    String body = text == null ? "" : text;
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return new ErrorBody(n.get("error").asText(),
            n.hasNonNull("message") ? n.get("message").asText() : "");
      }
    } catch (JsonProcessingException | RuntimeException e) {
      // not JSON: fall through
    }
    String excerpt = body.length() > 200 ? body.substring(0, 200) + "…" : body;
    return new ErrorBody(status == 503 ? "UNAVAILABLE" : SubmitRejected.BAD_RESPONSE,
        "HTTP " + status + " " + excerpt);
  }

  /** A URL path segment, percent-encoded. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A short description of a transport failure. */
  static String describe(Throwable err) {
    Throwable t = unwrap(err);
    String what = t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return t instanceof IOException ? "unreachable (" + what + ")" : what;
  }

  static Throwable unwrap(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static URI resolve(URI base, String path) {
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + path);
  }
}
