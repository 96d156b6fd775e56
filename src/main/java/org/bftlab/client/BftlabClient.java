package org.bftlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.TransactionBody;
import org.bftlab.api.TxStatus;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;

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
  private static final ObjectMapper JSON = NodeHttp.JSON;

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
   * @param pushGrace with a reply verifier, outcomes come by push ({@link ReplySubscription})
   *     and a transaction not confirmed by push within this grace is polled as well; default 2 s;
   *     {@link Duration#ZERO} turns push off (polling only). Without a verifier the client polls.
   */
  public record Options(Long initialTimestamp, Predicate<Reply> replyVerifier,
      Duration requestTimeout, Duration pollInitial, Duration pollMax, HttpClient httpClient,
      ScheduledExecutorService scheduler, Duration pushGrace) {

    /** Every field at its default. */
    public static Options defaults() {
      return new Options(null, null, null, null, null, null, null, null);
    }

    /** Push grace (see the record's doc); {@link Duration#ZERO}: never push, poll. */
    public Options withPushGrace(Duration d) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, pollInitial, pollMax,
          httpClient, scheduler, d);
    }

    public Options withInitialTimestamp(long t) {
      return new Options(t, replyVerifier, requestTimeout, pollInitial, pollMax, httpClient,
          scheduler, pushGrace);
    }

    public Options withReplyVerifier(Predicate<Reply> v) {
      return new Options(initialTimestamp, v, requestTimeout, pollInitial, pollMax, httpClient,
          scheduler, pushGrace);
    }

    public Options withRequestTimeout(Duration d) {
      return new Options(initialTimestamp, replyVerifier, d, pollInitial, pollMax, httpClient,
          scheduler, pushGrace);
    }

    public Options withPolling(Duration initial, Duration max) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, initial, max, httpClient,
          scheduler, pushGrace);
    }

    public Options withHttpClient(HttpClient c) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, pollInitial, pollMax, c,
          scheduler, pushGrace);
    }

    public Options withScheduler(ScheduledExecutorService s) {
      return new Options(initialTimestamp, replyVerifier, requestTimeout, pollInitial, pollMax,
          httpClient, s, pushGrace);
    }
  }

  private final String clusterId;
  private final ClientId client;
  private final Function<byte[], byte[]> signer;
  private final List<URI> nodes;
  private final int f;
  private final Duration timeout;
  private final NodeHttp http;
  private final Failover failover;
  private final CommitWatcher watcher;
  /** Null when the client polls only. */
  private final PushCommitWatcher push;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final AtomicLong nextTimestamp;

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
    Duration requestTimeout = o.requestTimeout() != null ? o.requestTimeout()
        : Duration.ofSeconds(5);
    long pollInitialMs = Math.max(1, (o.pollInitial() != null ? o.pollInitial()
        : Duration.ofMillis(10)).toMillis());
    long pollMaxMs = Math.max(pollInitialMs, (o.pollMax() != null ? o.pollMax()
        : Duration.ofMillis(200)).toMillis());
    this.http = new NodeHttp(o.httpClient() != null ? o.httpClient()
        : newHttpClient(requestTimeout), requestTimeout);
    if (o.scheduler() != null) {
      this.scheduler = o.scheduler();
      this.ownsScheduler = false;
    } else {
      this.scheduler = newScheduler();
      this.ownsScheduler = true;
    }
    CommitWatcher polling = new PollingCommitWatcher(this.nodes, f, http, scheduler,
        o.replyVerifier(), pollInitialMs, pollMaxMs);
    Duration grace = o.pushGrace() != null ? o.pushGrace() : DEFAULT_PUSH_GRACE;
    if (o.replyVerifier() != null && !grace.isZero() && !grace.isNegative()) {
      this.push = new PushCommitWatcher(http.client(), this.nodes, client, f, o.replyVerifier(),
          scheduler, polling, grace);
      this.push.subscription(); // opens in the background, so that the first awaits push too
      this.watcher = push;
    } else {
      this.push = null;
      this.watcher = polling;
    }
    PushCommitWatcher sockets = this.push;
    this.failover = new Failover(this.nodes, http,
        sockets == null ? null : sockets::subscription);
  }

  /** How long a transaction waits for pushed replies before it is polled too. */
  public static final Duration DEFAULT_PUSH_GRACE = Duration.ofSeconds(2);

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
   * A new signed request carrying {@code readSet} (the keys and versions it was built on; see
   * {@link Request#readSet()} and {@link ReadSetTx} for the read–build–submit–retry loop).
   */
  public Request newRequest(String contract, String operation, List<String> args,
      List<ReadEntry> readSet) {
    return Request.sign(clusterId, client, nextTimestamp.getAndIncrement(), contract, operation,
        args, readSet, signer);
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
    return failover.submit(request);
  }

  // ---------------------------------------------------------------------------------- commit

  /**
   * Whether outcomes come by push right now: a reply verifier is set, push is not turned off,
   * and a reply subscription is open on at least f+1 nodes (it opens in the background after
   * construction and re-opens when nodes restart; until then transactions are polled).
   */
  public boolean repliesByPush() {
    return push != null && push.subscription() != null;
  }

  /**
   * Waits until {@link #repliesByPush()} (its reply sockets open, re-tried every push grace
   * while nodes are slow to accept them), at most {@code timeout}; for a load that should start
   * on the sockets rather than poll and POST until they open (the demo, {@code bftlab bench}).
   *
   * @return whether outcomes come by push now; false at once when push is off
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitRepliesByPush(Duration timeout) throws InterruptedException {
    if (push == null) {
      return false;
    }
    long end = System.nanoTime() + timeout.toNanos();
    while (!repliesByPush()) {
      if (System.nanoTime() - end >= 0) {
        return false;
      }
      Thread.sleep(20);  // a handshake on a loopback takes milliseconds; nothing to signal it
    }
    return true;
  }

  /** {@link #awaitCommitted(Request, Duration)} with the client's default timeout. */
  public CompletableFuture<CommittedTx> awaitCommitted(Request request) {
    return awaitCommitted(request, timeout);
  }

  /**
   * Waits until f+1 distinct replicas report the same (blockHeight, validationCode, result) for
   * {@code request}'s transaction — the PBFT client rule (OSDI'99 §4.1). With a reply verifier
   * the signed REPLYs come by push ({@link ReplySubscription}: no GET in the normal case), and a
   * transaction not confirmed by push within {@link Options#pushGrace()} is polled as well.
   * Polling asks {@code GET /transactions/{txId}} on every node with a delay growing by half
   * each time, from {@link Options#pollInitial()} up to {@link Options#pollMax()}; a node stops
   * being polled once it reported a valid outcome.
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
    return watcher.await(request.txId(), request, timeout);
  }

  /**
   * As {@link #awaitCommitted(Request, Duration)} for a transaction id alone: the same f+1 rule,
   * but without the retransmission at half the timeout (the client does not hold the request).
   */
  public CompletableFuture<CommittedTx> awaitCommitted(String txId, Duration timeout) {
    return watcher.await(txId, null, timeout);
  }

  /** Submits, then waits for f+1 matching replies; fails like either step. */
  public CompletableFuture<CommittedTx> submitAndAwait(Request request, Duration timeout) {
    long submitted = System.nanoTime();
    return submit(request).thenCompose(r -> r.alreadyCommitted()
        ? awaitCommitted(request, timeout)
        : watcher.awaitSubmitted(request.txId(), request, timeout, submitted));
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
      all.add(http.get(node, "/status").handle((resp, err) -> {
        if (err != null) {
          return new NodeReport(node, null, NodeHttp.describe(err));
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
    URI node = failover.next();
    return http.get(node, "/state/" + NodeHttp.segment(contract) + "/" + NodeHttp.segment(key))
        .thenApply(resp -> {
          if (resp.statusCode() == 404) {
            return Optional.empty();
          }
          if (resp.statusCode() != 200) {
            NodeHttp.ErrorBody err = NodeHttp.errorOf(resp);
            throw new SubmitRejected(resp.statusCode(), err.code(), err.message(), node);
          }
          try {
            return Optional.of(JSON.readValue(resp.body(), StateEntry.class));
          } catch (JsonProcessingException e) {
            throw new SubmitRejected(200, SubmitRejected.BAD_RESPONSE,
                "not a StateEntry: " + e.getOriginalMessage(), node);
          }
        });
  }

  /**
   * {@code GET /transactions/{txId}/receipt} on one node (round-robin): the receipt, to check
   * offline with {@link org.bftlab.core.ledger.ReceiptVerifier} ({@link ReceiptFiles#verifier})
   * — no need to trust the node that served it.
   *
   * @return the receipt, or empty on 404 (not in that node's chain yet) or 409 (not yet covered
   *     by a stable checkpoint): retry later; fails with {@link SubmitRejected} on another status
   *     or a body that is not a receipt
   */
  public CompletableFuture<Optional<org.bftlab.core.ledger.Receipt>> receipt(String txId) {
    URI node = failover.next();
    return http.get(node, "/transactions/" + NodeHttp.segment(txId) + "/receipt")
        .thenApply(resp -> {
          if (resp.statusCode() == 404 || resp.statusCode() == 409) {
            return Optional.empty();
          }
          if (resp.statusCode() != 200) {
            NodeHttp.ErrorBody err = NodeHttp.errorOf(resp);
            throw new SubmitRejected(resp.statusCode(), err.code(), err.message(), node);
          }
          try {
            return Optional.of(ReceiptFiles.parse(resp.body()));
          } catch (java.io.IOException e) {
            throw new SubmitRejected(200, SubmitRejected.BAD_RESPONSE,
                "not a receipt: " + e.getMessage(), node);
          }
        });
  }

  /** Shuts down the private scheduler (a shared one is left alone). */
  @Override
  public void close() {
    if (push != null) {
      push.close();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

}
