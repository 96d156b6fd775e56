package org.bftlab.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
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
 * polling): while the socket is open, for each block it executes that holds transactions of
 * that client, this replica sends one text frame: a JSON array of their {@link TxStatus}es in
 * block order, each with its signed REPLY ⟨v, t, c, i, r⟩ (OSDI'99 §4.1, signed once per block:
 * {@code core.msg.Reply}). A client that subscribes after its transaction executed sends the
 * transaction id as a text frame; the replica answers with that status, one JSON object, if its
 * chain holds it (otherwise it is pushed when it executes). Frames are serialised on the
 * socket's stream, not on the block-commit actor's thread. A client holds f+1 matching signed
 * replies from distinct replicas without asking again ({@code client/ReplySubscription}).
 *
 * <p>Each socket buffers up to {@link #BUFFER} statuses not yet written; when a slow reader lets
 * it fill, further frames are dropped (a client falls back to {@code GET /transactions/{id}}).
 */
final class ReplyPush extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyPush.class);

  /** Statuses buffered per socket (a block's frame counts each of its statuses). */
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
    // a List<TxStatus> (a block's pushes, sent as an array) or a TxStatus (a query's answer)
    Pair<BoundedSourceQueue<Object>, Source<Object, NotUsed>> q =
        Source.queue(BUFFER).preMaterialize(mat);
    BoundedSourceQueue<Object> out = q.first();
    java.util.concurrent.atomic.AtomicInteger buffered = new java.util.concurrent.atomic.AtomicInteger();
    AutoCloseable subscription = facade.subscribe(block -> {
      List<TxStatus> mine = null;
      for (TxStatus s : block) {
        if (s.reply() != null && s.reply().client().equals(client)) {
          if (mine == null) {
            mine = new ArrayList<>();
          }
          mine.add(s);
        }
      }
      if (mine != null) {
        offer(out, buffered, mine, mine.size());
      }
    });
    Sink<Message, CompletionStage<org.apache.pekko.Done>> in = Sink.foreach(m -> {
      if (m.isText()) {
        text(m.asTextMessage(), mat).thenCompose(txId -> facade.transaction(txId.trim()))
            .thenAccept(found -> found.filter(s -> s.reply() != null
                && s.reply().client().equals(client)).ifPresent(s -> offer(out, buffered, s, 1)))
            .exceptionally(e -> null);  // unknown or unreadable id: pushed when it executes
      }
    });
    Source<Message, NotUsed> pushed = q.second().watchTermination((nu, done) -> {
      done.whenComplete((d, e) -> close(subscription, out));
      return nu;
    }).mapConcat(o -> {
      buffered.addAndGet(o instanceof List<?> l ? -l.size() : -1);
      return frame(o);
    });
    return Flow.fromSinkAndSourceCoupled(in, pushed);
  }

  /** Queues {@code item} ({@code statuses} of them) unless the socket's buffer is full. */
  static void offer(BoundedSourceQueue<Object> out,
      java.util.concurrent.atomic.AtomicInteger buffered, Object item, int statuses) {
    if (buffered.addAndGet(statuses) > BUFFER
        || out.offer(item) != org.apache.pekko.stream.QueueOfferResult.enqueued()) {
      buffered.addAndGet(-statuses); // dropped: the client polls for it after its grace
    }
  }

  /** One text frame for a block's statuses (an array) or a query's status (an object). */
  private List<Message> frame(Object statuses) {
    try {
      return List.of(TextMessage.create(mapper.writeValueAsString(statuses)));
    } catch (JsonProcessingException e) {
      LOG.warn("reply push: cannot serialise {}: {}", statuses, e.getOriginalMessage());
      return List.of();
    }
  }

  private static CompletionStage<String> text(TextMessage m, Materializer mat) {
    return m.isStrict() ? CompletableFuture.completedFuture(m.getStrictText())
        : m.getStreamedText().runFold("", String::concat, mat);
  }

  private static void close(AutoCloseable subscription, BoundedSourceQueue<Object> out) {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("reply push: closing a subscription: {}", e.toString());
    }
    out.complete();
  }
}
