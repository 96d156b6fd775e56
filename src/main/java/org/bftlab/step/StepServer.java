package org.bftlab.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.bftlab.codec.Json;

/**
 * {@code bftlab step} in the browser: serves the page under {@code /} (plain HTML, ES modules
 * and SVG from {@code src/main/resources/step/}) and a WebSocket at {@code /ws} on 127.0.0.1.
 * The page sends command lines of the terminal mode ({@code step}, {@code deliver 7}, {@code
 * back 3} …, see {@link StepRepl}); after each one every open page receives the whole state as
 * one JSON object (replicas, in-flight messages with fields and signature check, the diagram's
 * arrows and marks, narration, and the command's output or error). Commands are applied one at
 * a time. {@link #close} unbinds and stops the actor system.
 */
public final class StepServer extends AllDirectives implements AutoCloseable {
  private final ActorSystem system;
  private final ServerBinding binding;
  private final StepRepl repl;
  private final Object lock = new Object();
  private final Set<BoundedSourceQueue<Message>> sockets = ConcurrentHashMap.newKeySet();
  private final ObjectMapper mapper = Json.mapper();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private StepServer(Stepper stepper, int port) {
    this.repl = new StepRepl(stepper, new PrintStream(console, true, StandardCharsets.UTF_8));
    this.system = ActorSystem.create("bftlab-step", ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING")
        .withFallback(ConfigFactory.defaultReference()));
    try {
      this.binding = Http.get(system).newServerAt("127.0.0.1", port).bind(route())
          .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("cannot serve the stepper on 127.0.0.1:" + port + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
  }

  /**
   * Binds 127.0.0.1:{@code port} (0: any free port) and serves {@code stepper}.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static StepServer start(Stepper stepper, int port) {
    return new StepServer(stepper, port);
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8090/}. */
  public String url() {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + "/";
  }

  Route route() {
    return concat(
        pathSingleSlash(() -> getFromResource("step/index.html")),
        path("ws", () -> extractMaterializer(mat -> handleWebSocketMessages(flow(mat)))),
        path("schedule", () -> get(() -> complete(schedule()))),
        getFromResourceDirectory("step"));
  }

  private String schedule() {
    synchronized (lock) {
      return repl.stepper().scheduleText();
    }
  }

  private Flow<Message, Message, NotUsed> flow(Materializer mat) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> q =
        Source.<Message>queue(256).preMaterialize(mat);
    BoundedSourceQueue<Message> out = q.first();
    sockets.add(out);
    out.offer(TextMessage.create(state(null, "")));
    Sink<Message, CompletionStage<org.apache.pekko.Done>> in = Sink.foreach(m -> {
      if (m.isText()) {
        text(m.asTextMessage(), mat).thenAccept(this::command);
      }
    });
    Source<Message, NotUsed> pushed = q.second().watchTermination((nu, done) -> {
      done.whenComplete((d, e) -> {
        sockets.remove(out);
        out.complete();
      });
      return nu;
    });
    return Flow.fromSinkAndSourceCoupled(in, pushed);
  }

  private void command(String line) {
    String json;
    synchronized (lock) {
      console.reset();
      String error = null;
      try {
        repl.execute(line.trim());
      } catch (IllegalArgumentException e) {
        error = e.getMessage();
      } catch (Exception e) {
        error = e.toString();
      }
      json = state(error, console.toString(StandardCharsets.UTF_8));
    }
    Message msg = TextMessage.create(json);
    sockets.forEach(s -> s.offer(msg));
  }

  private static CompletionStage<String> text(TextMessage m, Materializer mat) {
    return m.isStrict() ? CompletableFuture.completedFuture(m.getStrictText())
        : m.getStreamedText().runFold("", String::concat, mat);
  }

  /** The whole state as one JSON object. */
  String state(String error, String output) {
    synchronized (lock) {
      Stepper s = repl.stepper();
      ObjectNode root = mapper.createObjectNode();
      root.put("name", s.config().name());
      root.put("n", s.config().n());
      root.put("f", s.f());
      root.put("seed", s.config().seed());
      root.put("position", s.position());
      root.put("recorded", s.timeline().size());
      root.put("now", s.now());
      root.put("completed", s.completedRequests().size());
      root.put("output", output);
      if (error != null) {
        root.put("error", error);
      }
      root.set("replicas", mapper.valueToTree(s.replicas()));
      ArrayNode flying = root.putArray("inFlight");
      for (InFlight m : s.inFlight()) {
        flying.add(message(m).put("signatureValid", s.signatureValid(m))
            .put("held", s.held(m.id())));
      }
      ArrayNode arrows = root.putArray("arrows");
      for (Arrow a : s.arrows()) {
        arrows.add(message(a.message()).put("doneStep", a.doneStep()).put("fate", a.fate()));
      }
      root.set("marks", mapper.valueToTree(s.marks()));
      root.set("badges", mapper.valueToTree(s.badges()));
      root.set("byzantine", mapper.valueToTree(s.byzantine()));
      root.set("partition", mapper.valueToTree(s.partition()));
      Tour t = repl.tour();
      if (t != null) {
        root.putObject("tour").put("name", t.name()).put("index", t.index())
            .put("size", t.size()).put("title", t.current().title())
            .put("words", t.current().words());
      }
      root.set("narration", mapper.valueToTree(s.narrationWithSteps()));
      root.set("timeline", mapper.valueToTree(s.timeline().stream().map(Choice::toString)
          .toList()));
      try {
        return mapper.writeValueAsString(root);
      } catch (Exception e) {
        throw new IllegalStateException("cannot serialise the stepper's state", e);
      }
    }
  }

  private ObjectNode message(InFlight m) {
    ObjectNode o = mapper.createObjectNode();
    o.put("id", m.id()).put("from", m.from()).put("to", m.to()).put("type", m.type())
        .put("view", m.view()).put("seqNo", m.seqNo()).put("sentStep", m.sentStep())
        .put("label", m.label());
    if (m.message() != null) {
      o.set("fields", mapper.valueToTree(m.message()));
    } else if (m.reply() != null) {
      o.putObject("fields").put("txId", m.reply());
    }
    return o;
  }

  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10,
          java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }
}
