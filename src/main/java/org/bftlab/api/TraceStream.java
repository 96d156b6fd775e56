package org.bftlab.api;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /trace?from=<epoch ms>}: this node's live-trace lines whose {@code "time"} is at or
 * after {@code from} (default 0: every line still on disk), streamed as NDJSON
 * ({@code application/x-ndjson}, chunked), oldest first. 404 {@code NOT_FOUND} when the trace is
 * off ({@code bftlab.trace.enabled}), 400 {@code MALFORMED} when {@code from} is not an integer.
 */
final class TraceStream extends AllDirectives {
  static final ContentType NDJSON = ContentTypes.parse("application/x-ndjson");
  /** The longest line read: a PRE-PREPARE of the largest requests is ~4.3 MB of CBOR, more in JSON. */
  static final int MAX_LINE_BYTES = 64 << 20;
  private static final ByteString NEWLINE = ByteString.fromString("\n");

  private final NodeFacade facade;
  private final Function<ApiError, HttpResponse> errors;

  TraceStream(NodeFacade facade, Function<ApiError, HttpResponse> errors) {
    this.facade = facade;
    this.errors = errors;
  }

  Route route() {
    return path("trace", () -> get(() -> parameterOptional("from", from -> {
      long fromMs;
      try {
        fromMs = from.map(Long::parseLong).orElse(0L);
      } catch (NumberFormatException e) {
        return complete(errors.apply(ApiError.malformed(
            "from must be a time in epoch milliseconds, got '" + from.get() + "'")));
      }
      List<Path> files = facade.traceFiles();
      if (files.isEmpty()) {
        return complete(errors.apply(ApiError.notFound("the live trace is off on this node"
            + " (bftlab.trace.enabled = on turns it on)")));
      }
      Source<ByteString, ?> lines = Source.from(files)
          .flatMapConcat(FileIO::fromPath)
          .via(Framing.delimiter(NEWLINE, MAX_LINE_BYTES, FramingTruncation.ALLOW))
          .filter(line -> time(line) >= fromMs)
          .map(line -> line.concat(NEWLINE));
      return complete(HttpResponse.create().withStatus(200)
          .withEntity(HttpEntities.createChunked(NDJSON, lines)));
    })));
  }

  /** The line's {@code "time"} (near its start), or -1 when it has none. */
  static long time(ByteString line) {
    String head = line.take(120).utf8String();
    int at = head.indexOf("\"time\":");
    if (at < 0) {
      return -1;
    }
    long t = 0;
    for (int i = at + 7; i < head.length() && Character.isDigit(head.charAt(i)); i++) {
      t = t * 10 + (head.charAt(i) - '0');
    }
    return t;
  }
}
