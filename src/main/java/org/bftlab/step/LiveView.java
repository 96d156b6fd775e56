package org.bftlab.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.bftlab.codec.Json;
import org.bftlab.trace.LiveTail;

/**
 * {@code bftlab demo --ui}: the stepper's page, read-only, over a live cluster. Follows the
 * nodes' trace files under the given roots ({@link LiveTail}) and serves on 127.0.0.1 the page
 * under {@code /?live} (the stepper's resources; the page hides its controls in this mode and
 * when the state says {@code "live": true}), the state as JSON at {@code GET /state} ({@link LiveState}) and at
 * {@code /ws} a WebSocket that pushes it every {@value #PUSH_MILLIS} ms; what the page sends is
 * ignored. Lines are folded in wall-clock order once they are {@value #SETTLE_MILLIS} ms older
 * than the newest line read (trace writers flush every 200 ms, so a send is folded before its
 * delivery), or all at once when a poll finds nothing new.
 */
public final class LiveView extends AllDirectives implements AutoCloseable {
  static final long PUSH_MILLIS = 500;
  static final long SETTLE_MILLIS = 1000;

  private final ObjectMapper mapper = Json.mapper();
  private final LiveTail tail;
  private final LiveState state = new LiveState(mapper);
  private final List<LiveTail.Line> pending = new ArrayList<>();
  private final ActorSystem system;
  private final ServerBinding binding;
  private String lastError = "";

  private LiveView(List<Path> traceRoots, String host, int port) {
    this.tail = new LiveTail(traceRoots);
    this.system = ActorSystem.create("bftlab-live-view", ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING")
        .withFallback(ConfigFactory.defaultReference()));
    try {
      this.binding = Http.get(system).newServerAt(host, port).bind(route())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("cannot serve the live view on " + host + ":" + port + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
  }

  /**
   * Binds 127.0.0.1:{@code port} (0: any free port) and follows the trace files under
   * {@code traceRoots} (e.g. the demo's data directory; they need not exist yet).
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static LiveView start(List<Path> traceRoots, int port) {
    return new LiveView(traceRoots, "127.0.0.1", port);
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8091/?live} (read-only from the start). */
  public String url() {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + "/?live";
  }

  private Route route() {
    return concat(
        pathSingleSlash(() -> parameterOptional("live", live -> live.isPresent()
            ? getFromResource("step/index.html")
            : redirect(Uri.create("/?live"), StatusCodes.FOUND))),
        path("state", () -> get(() -> complete(HttpEntities.create(
            ContentTypes.APPLICATION_JSON, state())))),
        path("ws", () -> handleWebSocketMessages(flow())),
        getFromResourceDirectory("step"));
  }

  private Flow<Message, Message, ?> flow() {
    Source<Message, ?> pushes = Source.tick(Duration.ZERO, Duration.ofMillis(PUSH_MILLIS), "")
        .map(t -> (Message) TextMessage.create(state()));
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), pushes);
  }

  /** Reads what the nodes wrote since the last call, folds it, and returns the state as JSON. */
  public synchronized String state() {
    try {
      List<LiveTail.Line> fresh = tail.poll();
      pending.addAll(fresh);
      pending.sort(Comparator.comparingLong(LiveTail.Line::time));
      long newest = pending.isEmpty() ? 0 : pending.get(pending.size() - 1).time();
      int ready = 0;
      while (ready < pending.size()
          && (fresh.isEmpty() || pending.get(ready).time() <= newest - SETTLE_MILLIS)) {
        state.add(pending.get(ready++));
      }
      pending.subList(0, ready).clear();
      lastError = "";
    } catch (Exception e) {
      lastError = "cannot read the trace: " + e.getMessage();
    }
    var json = state.json(tail.skipped());
    if (!lastError.isEmpty() || tail.skipped() > 0) {
      json.put("error", lastError.isEmpty() ? tail.skipped() + " lines skipped, the last: "
          + tail.lastSkip() : lastError);
    }
    return json.toString();
  }

  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }
}
