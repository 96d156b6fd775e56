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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.TransactionBody;
import org.bftlab.api.TxStatus;
import org.bftlab.codec.Json;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/**
 * A PBFT client over the nodes' HTTP API: signs requests, submits them to one node, and accepts
 * an outcome only when f+1 distinct replicas report it identically (Castro &amp; Liskov, OSDI'99
 * §4.1). Asynchronous ({@link HttpClient}); one instance may be shared by many threads.
 *
 * <p>HTTP contract used: {@code POST /transactions} ({@link TransactionBody}; 202 accepted, 200
 * {@link TxStatus} when already committed, {@code {"error","message"}} otherwise), {@code GET
 * /transactions/{txId}} (200 {@link TxStatus} or 404), {@code GET /status} ({@link NodeStatus}),
 * {@code GET /state/{contract}/{key}} ({@link StateEntry} or 404).
 *
 * <p>Timestamps: each instance hands out strictly increasing client timestamps t from an {@link
 * AtomicLong} seeded with {@link Options#initialTimestamp()} or, by default, the wall clock in
 * microseconds, so that a restarted client does not reuse an earlier t.
 */
public final class BftlabClient implements AutoCloseable {
  private static final ObjectMapper JSON = Json.mapper();

  /**
   * Tuning knobs; {@code null} fields take their defaults.
   *
   * @param initialTimestamp first client timestamp; default {@code currentTimeMillis() * 1000}
   * @param replyVerifier checks a node's signed REPLY (e.g. Ed25519 under the replica's genesis
   *     key); null accepts every reply, and also statuses that carry no reply
   * @param requestTimeout per HTTP request; default 5 s
   * @param pollInitial first delay between two polls of one node; default 10 ms
   * @param pollMax the delay grows by half after each poll up to this; default 200 ms
   * @param httpClient shared HTTP client; default a new HTTP/1.1 client
   * @param scheduler shared scheduler for polls and timeouts (not shut down by {@link #close()});
   *     default a private single daemon thread
   */
  public record Options(Long initialTimestamp, Predicate<Reply> replyVerifier,
      Duration requestTimeout, Duration pollInitial, Duration pollMax, HttpClient httpClient,
      ScheduledExecutorService scheduler) {

    /** Every field at its default. */
    public static Options defaults() {
      return new Options(null, null, null, null, null, null, null);
    }

    public Options withInitialTimestamp(long t) {
      return new Options(t, replyVerifier, requestTimeout, pollInitial, pollMax, httpClient,
          scheduler);
    }

    public Options withReplyVerifier(Predicate<Reply> v) {
      return new Options(initialTimestamp, v, requestTimeout, pollInitial, pollMax, httpClient,
          scheduler);
    }

    public Options withRequestTimeout(Duration d) {
      return new Options(initialTimestamp, replyVerifier, d, pollInitial, pollMax, httpClient,
          scheduler);
    }

    public Options withPolling(Duration initial, Duration max) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, initial, max, httpClient,
          scheduler);
    }

    public Options withHttpClient(HttpClient c) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, pollInitial, pollMax, c,
          scheduler);
    }

    public Options withScheduler(ScheduledExecutorService s) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, pollInitial, pollMax,
          httpClient, s);
    }
  }

  private final String clusterId;
  private final ClientId client;
  private final Function<byte[], byte[]> signer;
  private final List<URI> nodes;
  private final int f;
  private final Duration timeout;
  private final Predicate<Reply> replyVerifier;
  private final Duration requestTimeout;
  private final long pollInitialMs;
  private final long pollMaxMs;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final AtomicLong nextTimestamp;
  private final AtomicInteger nextNode = new AtomicInteger();

  /** A client with default {@link Options}. */
  public BftlabClient(String clusterId, ClientId client, Function<byte[], byte[]> signer,
      List<URI> nodes, int f, Duration timeout) {
    this(clusterId, client, signer, nodes, f, timeout, Options.defaults());
  }

  /**
   * @param clusterId the cluster every request is bound to
   * @param client this client's id (as in the genesis membership)
   * @param signer signs a request's canonical bytes with the client's key
   * @param nodes every node's HTTP base URL (e.g. {@code http://127.0.0.1:8080}); at least f+1
   * @param f faulty replicas tolerated: an outcome needs f+1 matching replies
   * @param timeout default wait for a commit ({@link #awaitCommitted(Request)})
   * @throws IllegalArgumentException when fewer than f+1 nodes are given
   */
  public BftlabClient(String clusterId, ClientId client, Function<byte[], byte[]> signer,
      List<URI> nodes, int f, Duration timeout, Options options) {
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    this.client = Objects.requireNonNull(client, "client");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.nodes = List.copyOf(nodes);
    if (f < 0) {
      throw new IllegalArgumentException("f must be >= 0, got " + f);
    }
    if (this.nodes.size() < f + 1) {
      throw new IllegalArgumentException("need at least f+1 = " + (f + 1)
          + " nodes to confirm a commit, got " + this.nodes.size());
    }
    this.f = f;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    Options o = options == null ? Options.defaults() : options;
    this.nextTimestamp = new AtomicLong(
        o.initialTimestamp() != null ? o.initialTimestamp() : System.currentTimeMillis() * 1000);
    this.replyVerifier = o.replyVerifier();
    this.requestTimeout = o.requestTimeout() != null ? o.requestTimeout() : Duration.ofSeconds(5);
    this.pollInitialMs = Math.max(1, (o.pollInitial() != null ? o.pollInitial()
        : Duration.ofMillis(10)).toMillis());
    this.pollMaxMs = Math.max(pollInitialMs, (o.pollMax() != null ? o.pollMax()
        : Duration.ofMillis(200)).toMillis());
    this.http = o.httpClient() != null ? o.httpClient() : newHttpClient(requestTimeout);
    if (o.scheduler() != null) {
      this.scheduler = o.scheduler();
      this.ownsScheduler = false;
    } else {
      this.scheduler = newScheduler();
      this.ownsScheduler = true;
    }
  }

  /** An HTTP/1.1 client with a connect timeout, suitable for sharing between clients. */
  public static HttpClient newHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout).build();
  }

  /** A scheduler of one daemon thread, suitable for sharing between clients. */
  public static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "bftlab-client-scheduler");
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  /** This client's id. */
  public ClientId clientId() {
    return client;
  }

  /** The cluster id. */
  public String clusterId() {
    return clusterId;
  }

  /** f. */
  public int f() {
    return f;
  }

  /** The nodes' base URLs. */
  public List<URI> nodes() {
    return nodes;
  }

  /** The default commit timeout given at construction. */
  public Duration timeout() {
    return timeout;
  }

  /** The timestamp the next {@link #newRequest} will use (for tests and logs). */
  public long peekNextTimestamp() {
    return nextTimestamp.get();
  }

  /**
   * A new signed request with the next client timestamp (strictly increasing per instance,
   * across threads).
   */
  public Request newRequest(String contract, String operation, List<String> args) {
    return signRequest(nextTimestamp.getAndIncrement(), contract, operation, args);
  }

  /** {@link #newRequest(String, String, List)} with varargs. */
  public Request newRequest(String contract, String operation, String... args) {
    return newRequest(contract, operation, Arrays.asList(args));
  }

  /**
   * A signed request with an explicit timestamp, without advancing the counter: for replays
   * (same (client, t), hence same txId) in tests and workloads.
   */
  public Request signRequest(long timestamp, String contract, String operation,
      List<String> args) {
    return Request.sign(clusterId, client, timestamp, contract, operation, args, signer);
  }

  // ---------------------------------------------------------------------------------- submit

  /**
   * Posts {@code request} to one node, chosen round-robin. On a connection error, an HTTP
   * timeout or a 503 it tries the next node, each node at most once.
   *
   * @return completes with the receipt (202 accepted, or 200 already committed); completes
   *     exceptionally with {@link SubmitRejected} on any other answer (its code and message are
   *     the node's), with code {@code UNAVAILABLE} (503) when every node was unavailable and at
   *     least one said so, or {@code UNREACHABLE} (status 0) when no node answered at all
   */
  public CompletableFuture<SubmitReceipt> submit(Request request) {
    byte[] body = bodyOf(request);
    int start = Math.floorMod(nextNode.getAndIncrement(), nodes.size());
    CompletableFuture<SubmitReceipt> result = new CompletableFuture<>();
    attempt(request, body, start, 0, new ArrayList<>(), false, result);
    return result;
  }

  private void attempt(Request request, byte[] body, int start, int tried, List<String> failures,
      boolean sawUnavailable, CompletableFuture<SubmitReceipt> result) {
    if (tried == nodes.size()) {
      String why = "no node took the transaction " + request.txId() + ": "
          + String.join("; ", failures);
      result.completeExceptionally(sawUnavailable
          ? new SubmitRejected(503, "UNAVAILABLE", why, null)
          : new SubmitRejected(0, SubmitRejected.UNREACHABLE, why, null));
      return;
    }
    URI node = nodes.get((start + tried) % nodes.size());
    post(node, body).whenComplete((resp, err) -> {
      if (err != null) {
        failures.add(node + ": " + describe(err));
        attempt(request, body, start, tried + 1, failures, sawUnavailable, result);
      } else if (resp.statusCode() == 503) {
        failures.add(node + ": 503 " + errorOf(resp)[1]);
        attempt(request, body, start, tried + 1, failures, true, result);
      } else {
        try {
          result.complete(receiptOf(request, node, tried + 1, resp));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }
    });
  }

  private SubmitReceipt receiptOf(Request request, URI node, int attempts,
      HttpResponse<String> resp) {
    int code = resp.statusCode();
    if (code == 202) {
      return new SubmitReceipt(request.txId(), node, attempts, null);
    }
    if (code == 200) {
      TxStatus status;
      try {
        status = JSON.readValue(resp.body(), TxStatus.class);
      } catch (JsonProcessingException e) {
        throw new SubmitRejected(200, SubmitRejected.BAD_RESPONSE,
            "200 body is not a TxStatus: " + e.getOriginalMessage(), node);
      }
      return new SubmitReceipt(request.txId(), node, attempts, status);
    }
    String[] err = errorOf(resp);
    throw new SubmitRejected(code, err[0], err[1], node);
  }

  /** {"error": code, "message": text} of an error response; tolerant of other bodies. */
  private static String[] errorOf(HttpResponse<String> resp) {
    String body = resp.body() == null ? "" : resp.body();
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return new String[] {n.get("error").asText(),
            n.hasNonNull("message") ? n.get("message").asText() : ""};
      }
    } catch (JsonProcessingException | RuntimeException e) {
      // not JSON: fall through
    }
    String excerpt = body.length() > 200 ? body.substring(0, 200) + "…" : body;
    return new String[] {resp.statusCode() == 503 ? "UNAVAILABLE" : SubmitRejected.BAD_RESPONSE,
        "HTTP " + resp.statusCode() + " " + excerpt};
  }

  // ---------------------------------------------------------------------------------- commit

  /** {@link #awaitCommitted(Request, Duration)} with the client's default timeout. */
  public CompletableFuture<CommittedTx> awaitCommitted(Request request) {
    return awaitCommitted(request, timeout);
  }

  /**
   * Waits until f+1 distinct replicas report the same (blockHeight, validationCode, result) for
   * {@code request}'s transaction — the PBFT client rule (OSDI'99 §4.1). Polls {@code GET
   * /transactions/{txId}} on every node with a delay growing by half each time, from
   * {@link Options#pollInitial()} up to {@link Options#pollMax()}; a node stops being polled
   * once it reported a valid outcome.
   * If the transaction is still not confirmed after half of {@code timeout}, the request is
   * re-sent to every node (OSDI'99 §4.1: a client that times out broadcasts its request; a
   * retransmission of a committed request is answered from the chain).
   *
   * <p>A reply counts when its {@code TxStatus} is for this txId, its signed {@link Reply}
   * agrees with the status (txId, height, code, result) and passes the reply verifier (when one
   * is configured; without one, statuses without a reply also count). Voters are distinct by
   * {@link Reply#replica()} (or by node URL when there is no reply), so one node relaying
   * another's reply does not count twice. Replicas that report another outcome are listed in
   * {@link CommittedTx#dissent()}.
   *
   * @return completes with the confirmed outcome, or exceptionally with a {@link
   *     TimeoutException} whose message says how many matching replies arrived and what each
   *     node answered
   */
  public CompletableFuture<CommittedTx> awaitCommitted(Request request, Duration timeout) {
    return new CommitWatch(request.txId(), request, timeout).start();
  }

  /**
   * As {@link #awaitCommitted(Request, Duration)} for a transaction id alone: the same f+1 rule,
   * but without the retransmission at half the timeout (the client does not hold the request).
   */
  public CompletableFuture<CommittedTx> awaitCommitted(String txId, Duration timeout) {
    return new CommitWatch(txId, null, timeout).start();
  }

  /** Submits, then waits for f+1 matching replies; fails like either step. */
  public CompletableFuture<CommittedTx> submitAndAwait(Request request, Duration timeout) {
    return submit(request).thenCompose(r -> awaitCommitted(request, timeout));
  }

  /** What one node reported, reduced to what replies must match on. */
  private record Outcome(long blockHeight, ValidationCode code, String result) {
    @Override
    public String toString() {
      return "height " + blockHeight + ", " + code + ", \"" + result + "\"";
    }
  }

  /** A counted reply: who (replica id or node URL), what, and the full status. */
  private record Vote(String voter, Outcome outcome, TxStatus status) {}

  /** State of one awaitCommitted call. All mutable state is guarded by {@code this}. */
  private final class CommitWatch {
    private final String txId;
    private final Request request;
    private final Duration timeout;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<CommittedTx> future = new CompletableFuture<>();
    private final Vote[] votes = new Vote[nodes.size()];
    private final String[] lastProblem = new String[nodes.size()];
    private final long[] delayMs = new long[nodes.size()];
    private boolean retransmitted;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    CommitWatch(String txId, Request request, Duration timeout) {
      this.txId = Objects.requireNonNull(txId, "txId");
      this.request = request;
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      Arrays.fill(delayMs, pollInitialMs);
    }

    CompletableFuture<CommittedTx> start() {
      try {
        synchronized (this) {
          timers.add(scheduler.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS));
          if (request != null) {
            timers.add(scheduler.schedule(this::retransmit, timeout.toMillis() / 2,
                TimeUnit.MILLISECONDS));
          }
        }
        for (int i = 0; i < nodes.size(); i++) {
          poll(i);
        }
      } catch (RejectedExecutionException e) {
        future.completeExceptionally(new IllegalStateException("client is closed", e));
      }
      future.whenComplete((r, e) -> {
        synchronized (this) {
          timers.forEach(t -> t.cancel(false));
        }
      });
      return future;
    }

    private void poll(int i) {
      if (future.isDone()) {
        return;
      }
      get(nodes.get(i), "/transactions/" + txId).whenComplete((resp, err) -> onPoll(i, resp, err));
    }

    private void onPoll(int i, HttpResponse<String> resp, Throwable err) {
      CommittedTx done = null;
      boolean again;
      synchronized (this) {
        if (future.isDone()) {
          return;
        }
        if (err != null) {
          lastProblem[i] = describe(err);
        } else if (resp.statusCode() == 200) {
          done = vote(i, resp.body());
        } else if (resp.statusCode() == 404) {
          lastProblem[i] = "not committed there yet (404)";
        } else {
          lastProblem[i] = "HTTP " + resp.statusCode();
        }
        again = done == null && votes[i] == null;
      }
      if (done != null) {
        future.complete(done);
      } else if (again) {
        long d;
        synchronized (this) {
          d = delayMs[i];
          delayMs[i] = Math.min(pollMaxMs, d + Math.max(1, d / 2));
        }
        try {
          scheduler.schedule(() -> poll(i), d, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          future.completeExceptionally(new IllegalStateException("client is closed", e));
        }
      }
    }

    /** Records node i's 200 body; returns the outcome when it is now confirmed. */
    private CommittedTx vote(int i, String body) {
      TxStatus s;
      try {
        s = JSON.readValue(body, TxStatus.class);
      } catch (JsonProcessingException e) {
        lastProblem[i] = "answered a body that is not a TxStatus: " + e.getOriginalMessage();
        return null;
      }
      String invalid = check(s);
      if (invalid != null) {
        lastProblem[i] = invalid;
        return null;
      }
      String voter = s.reply() != null ? s.reply().replica().toString() : nodes.get(i).toString();
      votes[i] = new Vote(voter, new Outcome(s.blockHeight(), s.validationCode(), s.result()), s);
      return confirmed(votes[i].outcome());
    }

    /** Why a status does not count, or null when it does. */
    private String check(TxStatus s) {
      if (!txId.equals(s.txId())) {
        return "answered for another transaction " + s.txId();
      }
      if (s.validationCode() == null || s.result() == null) {
        return "answered a status without validationCode or result";
      }
      Reply r = s.reply();
      if (r == null) {
        return replyVerifier == null ? null : "answered without a signed reply";
      }
      if (!txId.equals(r.txId()) || r.blockHeight() != s.blockHeight()
          || !r.validationCode().equals(s.validationCode().name())
          || !r.result().equals(s.result())) {
        return "its signed reply (" + r.replica() + ": height " + r.blockHeight() + ", "
            + r.validationCode() + ", \"" + r.result() + "\") does not match its status";
      }
      if (replyVerifier != null && !replyVerifier.test(r)) {
        return "reply claiming to be from " + r.replica() + " has an invalid signature";
      }
      return null;
    }

    /** Distinct voters for {@code outcome}, in node order. */
    private Set<String> votersFor(Outcome outcome) {
      Set<String> voters = new LinkedHashSet<>();
      for (Vote v : votes) {
        if (v != null && v.outcome().equals(outcome)) {
          voters.add(v.voter());
        }
      }
      return voters;
    }

    private CommittedTx confirmed(Outcome outcome) {
      Set<String> voters = votersFor(outcome);
      if (voters.size() < f + 1) {
        return null;
      }
      TxStatus first = null;
      List<String> dissent = new ArrayList<>();
      for (int i = 0; i < votes.length; i++) {
        Vote v = votes[i];
        if (v != null && v.outcome().equals(outcome)) {
          first = first == null ? v.status() : first;
        } else if (v != null) {
          dissent.add(v.voter() + " at " + nodes.get(i) + " reported " + v.outcome());
        } else if (lastProblem[i] != null && !lastProblem[i].contains("(404)")
            && !lastProblem[i].startsWith("HTTP ") && !isTransport(lastProblem[i])) {
          dissent.add(nodes.get(i) + " " + lastProblem[i]);
        }
      }
      return new CommittedTx(txId, outcome.blockHeight(), first.txIndex(), outcome.code(),
          outcome.result(), List.copyOf(voters), dissent, retransmitted, elapsedMs());
    }

    private boolean isTransport(String problem) {
      return problem.startsWith("unreachable");
    }

    private long elapsedMs() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void retransmit() {
      synchronized (this) {
        if (future.isDone()) {
          return;
        }
        retransmitted = true;
      }
      byte[] body = bodyOf(request);
      for (int i = 0; i < nodes.size(); i++) {
        int node = i;
        post(nodes.get(i), body).whenComplete((resp, err) -> {
          CommittedTx done = null;
          synchronized (this) {
            // A 200 carries that node's committed status: count it like a poll answer.
            if (err == null && resp.statusCode() == 200 && !future.isDone()
                && votes[node] == null) {
              done = vote(node, resp.body());
            }
          }
          if (done != null) {
            future.complete(done);
          }
        });
      }
    }

    private void expire() {
      String message;
      synchronized (this) {
        if (future.isDone()) {
          return;
        }
        message = timeoutMessage();
      }
      future.completeExceptionally(new TimeoutException(message));
    }

    private String timeoutMessage() {
      Map<Outcome, Set<String>> byOutcome = new LinkedHashMap<>();
      for (Vote v : votes) {
        if (v != null) {
          byOutcome.computeIfAbsent(v.outcome(), this::votersFor);
        }
      }
      int best = byOutcome.values().stream().mapToInt(Set::size).max().orElse(0);
      StringBuilder b = new StringBuilder("transaction ").append(txId)
          .append(" not confirmed within ").append(timeout.toMillis()).append(" ms: ")
          .append(best).append(" matching repl").append(best == 1 ? "y" : "ies")
          .append(" of the f+1 = ").append(f + 1).append(" needed");
      byOutcome.forEach((o, voters) -> b.append("; ").append(o).append(" from ").append(voters));
      List<String> silent = new ArrayList<>();
      for (int i = 0; i < votes.length; i++) {
        if (votes[i] == null) {
          silent.add(nodes.get(i) + " " + (lastProblem[i] == null ? "no answer" : lastProblem[i]));
        }
      }
      if (!silent.isEmpty()) {
        b.append("; no valid reply from: ").append(String.join(", ", silent));
      }
      b.append(retransmitted ? "; the request was re-sent to all " + nodes.size() + " nodes"
          : request == null ? "; not re-sent (only the txId was known)" : "");
      return b.toString();
    }
  }

  // ---------------------------------------------------------------------------------- queries

  /**
   * {@code GET /status} on every node.
   *
   * @return the statuses of the nodes that answered, in node order (never fails)
   */
  public CompletableFuture<List<NodeStatus>> statuses() {
    return statusReports().thenApply(rs -> rs.stream().filter(NodeReport::reachable)
        .map(NodeReport::status).toList());
  }

  /** {@code GET /status} on every node, one report per node in node order (never fails). */
  public CompletableFuture<List<NodeReport>> statusReports() {
    List<CompletableFuture<NodeReport>> all = new ArrayList<>();
    for (URI node : nodes) {
      all.add(get(node, "/status").handle((resp, err) -> {
        if (err != null) {
          return new NodeReport(node, null, describe(err));
        }
        if (resp.statusCode() != 200) {
          return new NodeReport(node, null, "HTTP " + resp.statusCode());
        }
        try {
          return new NodeReport(node, JSON.readValue(resp.body(), NodeStatus.class), null);
        } catch (JsonProcessingException e) {
          return new NodeReport(node, null, "not a NodeStatus: " + e.getOriginalMessage());
        }
      }));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
  }

  /**
   * {@code GET /state/{contract}/{key}} on one node (round-robin): a single node's view, not
   * confirmed by f+1.
   *
   * @return the entry, or empty on 404; fails with {@link SubmitRejected} on another status
   */
  public CompletableFuture<Optional<StateEntry>> state(String contract, String key) {
    URI node = nodes.get(Math.floorMod(nextNode.getAndIncrement(), nodes.size()));
    return get(node, "/state/" + segment(contract) + "/" + segment(key)).thenApply(resp -> {
      if (resp.statusCode() == 404) {
        return Optional.empty();
      }
      if (resp.statusCode() != 200) {
        String[] err = errorOf(resp);
        throw new SubmitRejected(resp.statusCode(), err[0], err[1], node);
      }
      try {
        return Optional.of(JSON.readValue(resp.body(), StateEntry.class));
      } catch (JsonProcessingException e) {
        throw new SubmitRejected(200, SubmitRejected.BAD_RESPONSE,
            "not a StateEntry: " + e.getOriginalMessage(), node);
      }
    });
  }

  /** Shuts down the private scheduler (a shared one is left alone). */
  @Override
  public void close() {
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------- http

  private static byte[] bodyOf(Request request) {
    try {
      return JSON.writeValueAsBytes(TransactionBody.of(request));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CompletableFuture<HttpResponse<String>> post(URI node, byte[] body) {
    HttpRequest req = HttpRequest.newBuilder(resolve(node, "/transactions"))
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return send(req);
  }

  private CompletableFuture<HttpResponse<String>> get(URI node, String path) {
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

  private static URI resolve(URI base, String path) {
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    return URI.create(b + path);
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A short description of a transport failure. */
  static String describe(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String what = t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return t instanceof IOException ? "unreachable (" + what + ")" : what;
  }
}
