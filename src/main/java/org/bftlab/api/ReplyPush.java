package org.bftlab.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /replies?client=<clientId>} as a WebSocket (issue 9 item 2: replies by push, no
 * polling): this replica sends, as one text frame each, the {@link TxStatus} (with its signed
 * REPLY ⟨v, t, c, i, r⟩, OSDI'99 §4.1, signed once per block: {@code core.msg.Reply}) of every
 * transaction of that client that it executes
 * while the socket is open. A client that subscribes after its transaction executed sends the
 * transaction id as a text frame; the replica answers with that status if its chain holds it
 * (otherwise it is pushed when it executes). A client holds f+1 matching signed replies from
 * distinct replicas without asking again ({@code client/ReplySubscription}).
 *
 * <p>Each socket buffers {@link #BUFFER} frames; when a slow reader lets it fill, further
 * frames are dropped (a client falls back to {@code GET /transactions/{id}}).
 */
final class ReplyPush extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyPush.class);

  /** Frames buffered per socket. */
  static final int BUFFER = 4096;

  private final NodeFacade facade;
  private final java.util.function.Function<ApiError, org.apache.pekko.http.javadsl.model.HttpResponse>
      error;
  private final ObjectMapper mapper = Json.mapper();

  ReplyPush(NodeFacade facade,
      java.util.function.Function<ApiError, org.apache.pekko.http.javadsl.model.HttpResponse> error) {
    this.facade = facade;
    this.error = error;
  }

  /**
   * The route; 400 MALFORMED for a missing or bad client id, and Pekko's rejection of a request
   * that is no WebSocket upgrade (400). The replica subscribes the socket's listener only for an
   * upgrade, and before it answers 101.
   */
  Route route() {
    return path("replies", () -> get(() -> parameter("client", text -> {
      ClientId client;
      try {
        client = new ClientId(text);
      } catch (IllegalArgumentException e) {
        return complete(error.apply(ApiError.malformed(e.getMessage())));
      }
      // subscribed only for a WebSocket upgrade, and before the 101 answer is sent: a client
      // that submits after its socket opened gets every reply pushed (client/ReplySubscription)
      return extractWebSocketUpgrade(upgrade -> extractMaterializer(mat ->
          complete(upgrade.handleMessagesWith(flow(client, mat)))));
    })));
  }

  private Flow<Message, Message, NotUsed> flow(ClientId client, Materializer mat) {
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> q =
        Source.<Message>queue(BUFFER).preMaterialize(mat);
    BoundedSourceQueue<Message> out = q.first();
    AutoCloseable subscription = facade.subscribe(s -> {
      if (s.reply() != null && s.reply().client().equals(client)) {
        send(out, s);
      }
    });
    Sink<Message, CompletionStage<org.apache.pekko.Done>> in = Sink.foreach(m -> {
      if (m.isText()) {
        text(m.asTextMessage(), mat).thenCompose(txId -> facade.transaction(txId.trim()))
            .thenAccept(found -> found.filter(s -> s.reply() != null
                && s.reply().client().equals(client)).ifPresent(s -> send(out, s)))
            .exceptionally(e -> null);  // unknown or unreadable id: pushed when it executes
      }
    });
    Source<Message, NotUsed> pushed = q.second().watchTermination((nu, done) -> {
      done.whenComplete((d, e) -> close(subscription, out));
      return nu;
    });
    return Flow.fromSinkAndSourceCoupled(in, pushed);
  }

  private void send(BoundedSourceQueue<Message> out, TxStatus s) {
    try {
      out.offer(TextMessage.create(mapper.writeValueAsString(s)));
    } catch (JsonProcessingException e) {
      LOG.warn("reply push: cannot serialise {}: {}", s.txId(), e.getOriginalMessage());
    }
  }

  private static CompletionStage<String> text(TextMessage m, Materializer mat) {
    return m.isStrict() ? CompletableFuture.completedFuture(m.getStrictText())
        : m.getStreamedText().runFold("", String::concat, mat);
  }

  private static void close(AutoCloseable subscription, BoundedSourceQueue<Message> out) {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("reply push: closing a subscription: {}", e.toString());
    }
    out.complete();
  }
}
