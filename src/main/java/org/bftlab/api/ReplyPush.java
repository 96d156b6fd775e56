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
 * <p>A client may also submit transactions on the socket instead of {@code POST /transactions}
 * (issue 9: one HTTP request per transaction was ~6 % of a replica's CPU): a text frame that is
 * a JSON object is a {@link TransactionBody}. It passes the same {@link FloodGate} (per frame:
 * the host's rate and the request pool) and the same {@link Gateway} checks, and is answered
 * with one frame {@code {"ack":{"txId":…,"status":…,"body":…},"frame":n}} ({@link SubmitAck}):
 * the status and body the POST would have answered with, and n, the number of the client's
 * frame on this socket (0 for the first frame it sent, every frame counted), so that a client
 * matches every ack, also a refusal before the body is parsed (the flood gate's 429 or 503, a
 * body that is no transaction, a frame over the size limit), which has no txId. At most
 * {@link #SUBMITS} of a socket's submissions and queries are worked on at once; further frames
 * wait in TCP.
 *
 * <p>Each socket buffers up to {@link #BUFFER} statuses not yet written; when a slow reader lets
 * it fill, further frames are dropped (a client falls back to {@code GET /transactions/{id}}).
 */
final class ReplyPush extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyPush.class);

  /** Statuses buffered per socket (a block's frame counts each of its statuses). */
  static final int BUFFER = 4096;
  /** Frames from one client (submissions and queries) worked on at once. */
  static final int SUBMITS = 64;

  private final NodeFacade facade;
  private final java.util.function.Function<ApiError, org.apache.pekko.http.javadsl.model.HttpResponse>
      error;
  private final ObjectMapper mapper = Json.mapper();
  private final FloodGate flood;
  private final Submission submission;

  ReplyPush(NodeFacade facade,
      java.util.function.Function<ApiError, org.apache.pekko.http.javadsl.model.HttpResponse> error,
      FloodGate flood, Submission submission) {
    this.facade = facade;
    this.error = error;
    this.flood = flood;
    this.submission = submission;
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
      return extractClientIP(ip -> extractWebSocketUpgrade(upgrade -> extractMaterializer(mat ->
          complete(upgrade.handleMessagesWith(flow(client, FloodGate.host(ip), mat))))));
    })));
  }

  private Flow<Message, Message, NotUsed> flow(ClientId client, String host, Materializer mat) {
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
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .zipWithIndex()
        .mapAsyncUnordered(SUBMITS, m -> answer(m.first(), m.second(), client, host, mat))
        .to(Sink.foreach(answer -> answer.ifPresent(a -> offer(out, buffered, a, 1))));
    Source<Message, NotUsed> pushed = q.second().watchTermination((nu, done) -> {
      done.whenComplete((d, e) -> close(subscription, out));
      return nu;
    }).mapConcat(o -> {
      buffered.addAndGet(o instanceof List<?> l ? -l.size() : -1);
      return frame(o);
    });
    return Flow.fromSinkAndSourceCoupled(in, pushed);
  }

  /**
   * The answer to one frame from the client, if any: a submitted transaction's {@code {"ack":
   * …}}, or the status of a queried transaction id when this replica holds it for this client
   * (an unknown id is pushed when it executes). Never fails.
   */
  private CompletionStage<java.util.Optional<Object>> answer(Message m, long frame,
      ClientId client, String host, Materializer mat) {
    if (!m.isText()) {
      m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat);
      return CompletableFuture.completedFuture(java.util.Optional.empty());
    }
    long max = submission.maxBodyBytes();
    return text(m.asTextMessage(), max, mat).thenCompose(raw -> {
      if (raw == null) {
        return CompletableFuture.completedFuture(java.util.Optional.<Object>of(new AckFrame(
            SubmitAck.refused(null, ApiError.tooLarge("frame is over " + max
                + " characters, the limit (2 x maxRequestBytes)")), frame)));
      }
      String text = raw.trim();
      if (text.startsWith("{")) {
        return submit(host, text).thenApply(ack -> java.util.Optional.<Object>of(
            new AckFrame(ack, frame)));
      }
      return facade.transaction(text).thenApply(found -> found.filter(s -> s.reply() != null
          && s.reply().client().equals(client)).map(s -> (Object) s));
    }).exceptionally(e -> java.util.Optional.empty());
  }

  /** The answer to the client's {@code frame}-th frame, a submission: {"ack":…,"frame":n}. */
  record AckFrame(SubmitAck ack, long frame) {}

  /** A transaction submitted on the socket, through the flood gate and the gateway. */
  private CompletionStage<SubmitAck> submit(String host, String body) {
    java.util.Optional<ApiError> refused = flood.enter(host);
    if (refused.isPresent()) {
      return CompletableFuture.completedFuture(SubmitAck.refused(null, refused.get()));
    }
    // Submission.submit answers every body and never fails, so the slot is always given back
    return submission.submit(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .whenComplete((a, e) -> flood.leave());
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

  /** The frame's text; null when it is longer than {@code max} characters. */
  private static CompletionStage<String> text(TextMessage m, long max, Materializer mat) {
    if (m.isStrict()) {
      String t = m.getStrictText();
      return CompletableFuture.completedFuture(t.length() > max ? null : t);
    }
    return m.getStreamedText().limitWeighted(max, s -> (long) s.length())
        .runFold("", String::concat, mat)
        .exceptionally(e -> null);  // over the limit (or the socket went away)
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
