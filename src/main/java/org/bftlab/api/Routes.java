package org.bftlab.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP routes (JSON in and out, {@code application/json}). Every error, including
 * unknown paths (404 {@code NOT_FOUND}), wrong methods (405 {@code METHOD_NOT_ALLOWED}) and
 * unexpected exceptions (500 {@code INTERNAL}), is an {@link ErrorBody}.
 *
 * <table>
 *   <caption>routes</caption>
 *   <tr><th>route</th><th>success</th><th>errors</th></tr>
 *   <tr><td>POST /transactions ({@link TransactionBody})</td>
 *       <td>202 {@link AcceptedBody}; 200 {@link TxStatus} (retransmission of a committed
 *       request)</td>
 *       <td>400 MALFORMED / WRONG_CLUSTER, 401 BAD_SIGNATURE, 403 UNKNOWN_CLIENT,
 *       409 DUPLICATE_TXID, 413 TOO_LARGE (see {@link Gateway})</td></tr>
 *   <tr><td>GET /transactions/{txId}</td><td>200 {@link TxStatus}</td><td>404</td></tr>
 *   <tr><td>GET /transactions/{txId}/receipt</td><td>200 {@link
 *       org.bftlab.core.ledger.Receipt}</td><td>404, 409 NOT_YET_COVERED (Retry-After)</td></tr>
 *   <tr><td>GET /blocks/{height}, GET /blocks/head</td><td>200 {@link BlockView}</td>
 *       <td>404; 400 MALFORMED for a height that is not an integer >= 1</td></tr>
 *   <tr><td>GET /status</td><td>200 {@link NodeStatus}</td><td></td></tr>
 *   <tr><td>GET /state/{contract}/{key}</td><td>200 {@link org.bftlab.core.ledger.StateEntry}</td>
 *       <td>404</td></tr>
 *   <tr><td>GET /replies?client=c (WebSocket)</td><td>c's {@link TxStatus}es pushed as they
 *       execute; a transaction sent as a frame is answered with an {@code {"ack":…}} frame,
 *       as the POST ({@link ReplyPush}, {@link SubmitAck})</td><td>400 MALFORMED</td></tr>
 *   <tr><td>GET /metrics</td><td>200 Prometheus text, format 0.0.4
 *       ({@code org.bftlab.metrics.NodeMetrics})</td><td></td></tr>
 *   <tr><td>GET /trace?from=epoch-ms</td><td>200 the live trace as NDJSON ({@link
 *       TraceStream})</td><td>404 when the trace is off, 400 MALFORMED</td></tr>
 *   <tr><td>GET /health</td><td>200 {@link Health}</td><td></td></tr>
 *   <tr><td>GET /ready</td><td>200 {@link Readiness} (joined and caught up)</td>
 *       <td>503 {@link Readiness} with the reasons it is not ready</td></tr>
 *   <tr><td>GET|PUT|DELETE /admin/faults</td><td>200 {@code {"rules": "..."}}</td>
 *       <td>only requests signed by a genesis admin ({@link AdminAuth}: 401, 403, 404 when
 *       the genesis lists no admin); 400 MALFORMED for a bad rule</td></tr>
 * </table>
 *
 * Any route that asks the node answers 503 {@code UNAVAILABLE} when the node does not answer
 * within the request timeout (or its stage fails with a {@link TimeoutException}), and 500
 * {@code INTERNAL} on any other failure; the server keeps serving.
 */
public final class Routes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);
  private final int checkpointInterval;

  private final NodeFacade facade;
  private final Gateway gateway;
  private final Submission submission;
  private final Duration requestTimeout;
  private final ObjectMapper mapper = Json.mapper();
  private final AdminGate admin;
  private final FloodGate flood;

  /** Routes with the admin routes off ({@link AdminAuth#off()}). */
  public Routes(NodeFacade facade, ProtocolParams params, Authenticator verifier,
      Duration requestTimeout) {
    this(facade, params, verifier, requestTimeout, AdminAuth.off(), HttpLimits.DEFAULT);
  }

  /**
   * @param facade the node
   * @param params this cluster's protocol parameters (cluster id, maxRequestBytes)
   * @param verifier checks client signatures and membership
   * @param requestTimeout how long a route waits for the node before answering 503
   * @param adminAuth who may call {@code /admin/*} (signed requests of the genesis admins)
   * @param limits the request pool and per-host rate ({@link FloodGate})
   */
  public Routes(NodeFacade facade, ProtocolParams params, Authenticator verifier,
      Duration requestTimeout, AdminAuth adminAuth, HttpLimits limits) {
    this.admin = new AdminGate(adminAuth, this::error);
    this.flood = new FloodGate(limits, this::error, System::nanoTime);
    this.facade = Objects.requireNonNull(facade, "facade");
    this.gateway = new Gateway(params, verifier);
    this.checkpointInterval = params.checkpointInterval();
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
    this.submission = new Submission(gateway, facade, requestTimeout);
  }

  /**
   * The whole API, with JSON rejection and exception handling. The route tree is built here,
   * once: the flood gate asks for it on every request, and building it per request made a
   * WebSocket handler and its Jackson mapper for each POST (issue 9: ~6 % of a replica's CPU).
   */
  public Route route() {
    Route api = routes();
    return handleExceptions(exceptionHandler(), () ->
        handleRejections(rejectionHandler(), () -> flood.guard(() -> api)));
  }

  private Route routes() {
    return concat(
        pathPrefix("transactions", () -> concat(
            pathEndOrSingleSlash(() -> post(this::submit)),
            path(PathMatchers.segment().slash("receipt"), txId -> get(() -> receipt(txId))),
            path(txId -> get(() -> ask(() -> facade.transaction(txId),
                found -> found.map(s -> json(200, s)).orElseGet(() ->
                    error(ApiError.notFound("transaction " + txId + " is not in this node's chain"))))))
        )),
        pathPrefix("blocks", () -> concat(
            path("head", () -> get(() -> ask(facade::head,
                head -> block(head, "no block yet: the chain is empty")))),
            path(height -> get(() -> blockAt(height)))
        )),
        path("status", () -> get(() -> ask(facade::status, s -> json(200, s)))),
        new ReplyPush(facade, this::error, flood, submission).route(),
        path("metrics", () -> get(this::metrics)),
        new TraceStream(facade, this::error).route(),
        path(PathMatchers.segment("state").slash(PathMatchers.segment()).slash(PathMatchers.segment()),
            (contract, key) -> get(() -> InputRules.name("key", contract + "/" + key)
                .map(e -> complete(error(e))).orElseGet(() -> ask(() -> facade.state(contract, key),
                found -> found.map(e -> json(200, e)).orElseGet(() -> error(ApiError.notFound(
                    "no world-state entry " + contract + "/" + key))))))),
        path("health", () -> get(() -> complete(json(200, new Health("UP", facade.info().nodeId()))))),
        path("ready", () -> get(this::ready)),
        pathPrefix("admin", () -> admin.guard(() -> path("faults", () -> concat(
            get(() -> complete(json(200, new FaultsBody(facade.faults())))),
            put(() -> entity(Unmarshaller.entityToString(), this::installFaults)),
            delete(() -> {
              facade.installFaults("[]");
              return complete(json(200, new FaultsBody(facade.faults())));
            })))))
    );
  }

  // ---- /metrics ----

  /** Prometheus' text exposition format, version 0.0.4. */
  static final org.apache.pekko.http.javadsl.model.ContentType PROMETHEUS_TEXT =
      org.apache.pekko.http.javadsl.model.ContentTypes.parse(
          "text/plain; version=0.0.4; charset=utf-8");

  /** {@code GET /metrics}: 200 with every metric as Prometheus text. */
  private Route metrics() {
    String text = facade.metricsText(new HttpLoad(flood.refusedFull(), flood.refusedRate(),
        flood.inFlight()));
    return complete(HttpResponse.create().withStatus(200)
        .withEntity(HttpEntities.create(PROMETHEUS_TEXT,
            text.getBytes(StandardCharsets.UTF_8))));
  }

  // ---- /ready ----

  /** {@code GET /ready}: 200 when joined and caught up, else 503; the body says why. */
  private Route ready() {
    return ask(facade::readiness, r -> json(r.ready() ? 200 : 503, r));
  }

  // ---- /admin/faults ----

  /** {@code GET|PUT|DELETE /admin/faults}: the rules in force on this node's outgoing messages. */
  record FaultsBody(String rules) {}

  /**
   * {@code PUT /admin/faults} with a JSON array of network rules, in the scenario files' format
   * (e.g. {@code [{"rule":"drop","probability":1.0,"types":["COMMIT"],"until":500}]}), windows in
   * ticks from now; answers 200 with the rules in force, 400 MALFORMED for a bad rule.
   */
  private Route installFaults(String body) {
    try {
      facade.installFaults(body);
    } catch (IllegalArgumentException e) {
      return complete(error(ApiError.malformed("bad fault rules: " + e.getMessage())));
    }
    return complete(json(200, new FaultsBody(facade.faults())));
  }

  // ---- POST /transactions ----

  private Route submit() {
    long limit = gateway.maxBodyBytes();
    return withSizeLimit(limit, () -> extractRequestEntity(entity ->
        extractMaterializer(mat -> completeWithFuture(submit(entity, limit, mat)))));
  }

  private CompletionStage<HttpResponse> submit(RequestEntity entity, long limit, Materializer mat) {
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      entity.discardBytes(mat);
      return CompletableFuture.completedFuture(error(gateway.tooLargeBody(declared.getAsLong())));
    }
    CompletionStage<ByteString> body = entity.getDataBytes().runFold(ByteString.emptyByteString(),
        (acc, chunk) -> {
          if (acc.size() + chunk.size() > limit) {
            throw new BodyTooLarge(acc.size() + chunk.size());
          }
          return acc.concat(chunk);
        }, mat);
    return body.handle((bytes, failure) -> {
      if (failure != null) {
        Throwable cause = NodeCalls.unwrap(failure);
        if (cause instanceof BodyTooLarge tl) {
          return CompletableFuture.completedFuture(error(gateway.tooLargeBody(tl.length)));
        }
        if (isSizeLimit(cause)) {
          return CompletableFuture.completedFuture(error(gateway.tooLargeBody(limit + 1)));
        }
        return CompletableFuture.completedFuture(
            error(ApiError.malformed("could not read the body: " + cause.getMessage())));
      }
      return admit(bytes.toArray());
    }).thenCompose(Function.identity());
  }

  private CompletionStage<HttpResponse> admit(byte[] body) {
    return submission.submit(body).thenApply(ack -> json(ack.status(), ack.body()));
  }

  /** A streamed body went over the limit. */
  private static final class BodyTooLarge extends RuntimeException {
    final long length;

    BodyTooLarge(long length) {
      super("body over the limit", null, false, false);
      this.length = length;
    }
  }

  private static boolean isSizeLimit(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EntityStreamSizeException
          || c instanceof IllegalRequestException ire
          && (ire.status().intValue() == 413 || ire.getMessage().contains("too large"))) {
        return true;
      }
    }
    return false;
  }

  // ---- GET /transactions/{id}/receipt ----

  /**
   * 200 {@link org.bftlab.core.ledger.Receipt}; 404 NOT_FOUND when the transaction is not in this
   * node's chain (yet), 409 NOT_YET_COVERED when no stable checkpoint covers its block yet; both
   * with {@code Retry-After: 1}.
   */
  private Route receipt(String txId) {
    return ask(() -> facade.receipt(txId), answer -> {
      if (answer instanceof org.bftlab.core.ledger.Receipt.Found f) {
        return json(200, f.receipt());
      }
      ApiError e = answer instanceof org.bftlab.core.ledger.Receipt.NotYetCovered n
          ? new ApiError(409, ApiError.NOT_YET_COVERED, "transaction " + txId + " is in block "
              + n.height() + ", above this node's last certified checkpoint "
              + n.lastStableCheckpoint() + "; a receipt needs a stable checkpoint at or above"
              + " its block (one every " + checkpointInterval + " blocks): retry")
          : ApiError.notFound("transaction " + txId + " is not in this node's chain (yet)");
      return error(e).addHeader(
          org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Retry-After", "1"));
    });
  }

  // ---- GET /blocks ----

  private Route blockAt(String text) {
    long height;
    try {
      height = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return complete(error(ApiError.malformed(
          "block height must be an integer >= 1 or 'head', got '" + text + "'")));
    }
    if (height < 1) {
      return complete(error(ApiError.malformed("block height must be >= 1, got " + height)));
    }
    return ask(() -> facade.block(height), b -> block(b, "no block at height " + height));
  }

  private HttpResponse block(Optional<Block> block, String absent) {
    return block.map(b -> json(200, BlockView.of(b)))
        .orElseGet(() -> error(ApiError.notFound(absent)));
  }

  // ---- asking the node ----

  private <T> Route ask(Supplier<CompletionStage<T>> call, Function<T, HttpResponse> onValue) {
    return completeWithFuture(askStage(call, onValue));
  }

  /**
   * Calls the node, bounded by the request timeout: a value becomes {@code onValue}'s response, a
   * timeout 503 UNAVAILABLE, anything else (thrown, failed, null) 500 INTERNAL.
   */
  private <T> CompletionStage<HttpResponse> askStage(Supplier<CompletionStage<T>> call,
      Function<T, HttpResponse> onValue) {
    CompletableFuture<T> answer = NodeCalls.bounded(call, requestTimeout);
    return answer.handle((value, failure) -> {
      if (failure != null) {
        Throwable cause = NodeCalls.unwrap(failure);
        if (cause instanceof TimeoutException) {
          return error(ApiError.unavailable("the node did not answer within "
              + requestTimeout.toMillis() + " ms; try again later"));
        }
        return internal(cause);
      }
      try {
        return onValue.apply(Objects.requireNonNull(value, "facade answered null"));
      } catch (RuntimeException e) {
        return internal(e);
      }
    });
  }


  // ---- responses ----

  private HttpResponse internal(Throwable e) {
    log.warn("HTTP API: unexpected failure", e);
    String what = e.getMessage() == null ? e.getClass().getName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return error(ApiError.internal("unexpected failure: " + what));
  }

  HttpResponse error(ApiError error) {
    return json(error.status(), error.body());
  }

  HttpResponse json(int status, Object body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      log.warn("HTTP API: cannot serialise {}", body.getClass().getName(), e);
      status = 500;
      bytes = ("{\"error\":\"INTERNAL\",\"message\":\"cannot serialise the response: "
          + e.getOriginalMessage().replace("\\", "\\\\").replace("\"", "'") + "\"}").getBytes(
          StandardCharsets.UTF_8);
    }
    return HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes));
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(t -> isSizeLimit(t)
            ? complete(error(gateway.tooLargeBody(gateway.maxBodyBytes() + 1)))
            : complete(internal(t)))
        .build();
  }

  /** Pekko's default rejection responses, rewritten as {@link ErrorBody}. */
  private RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      String text = response.entity() instanceof HttpEntity.Strict strict
          ? strict.getData().utf8String() : response.status().reason();
      int status = response.status().intValue();
      String code = switch (status) {
        case 400 -> ApiError.MALFORMED;
        case 404 -> ApiError.NOT_FOUND;
        case 405 -> ApiError.METHOD_NOT_ALLOWED;
        case 413 -> ApiError.TOO_LARGE;
        case 500 -> ApiError.INTERNAL;
        case 503 -> ApiError.UNAVAILABLE;
        default -> response.status().reason().toUpperCase().replace(' ', '_').replace("-", "_");
      };
      HttpResponse json = error(new ApiError(status, code, text));
      return response.withEntity(json.entity());
    });
  }

}
