package org.bftlab.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bftlab.api.TxStatus;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.quorum.ReplyCertificate;

/**
 * Replies by push (issue 9 item 2): one WebSocket per replica on {@code /replies?client=c}, on
 * which each replica sends the signed REPLY of c's transactions as it executes them. A
 * transaction's outcome is confirmed once f+1 distinct replicas sent validly signed REPLYs with
 * the same (height, validation code, result) — OSDI'99 §4.1: "the client waits for f+1 replies
 * with valid signatures from different replicas, and with the same t and r". No polling: each
 * replica sends each REPLY once; {@link #await} also asks each replica once for a transaction that
 * may have executed before the subscription opened (not for one submitted after it opened:
 * {@link #await(String, boolean)}).
 *
 * <p>Usage: open once per client identity, then for each transaction {@code await(txId)} (before
 * or after submitting it) and submit it to one replica: on that replica's socket ({@link
 * #submit}, answered by an {@code {"ack":…}} frame) or with {@code POST /transactions}.
 * Thread-safe. Pushed replies for transactions nobody awaits are kept (at most
 * {@link #UNCLAIMED} transactions) so that an {@code await} after the push still finds them.
 */
public final class ReplySubscription implements AutoCloseable {
  /** Transactions with replies but no {@link #await} kept at most. */
  public static final int UNCLAIMED = 4096;

  private static final ObjectMapper JSON = Json.mapper();

  private final ClientId client;
  private final int f;
  private final Predicate<Reply> verifier;
  private final List<Listener> sockets = new ArrayList<>();
  /** Submissions waiting for their acknowledgement on one socket, at most (then POST). */
  static final int SUBMITS_PER_SOCKET = 64;
  private final List<String> unreachable = new ArrayList<>();
  /** txId → votes; insertion-ordered so the oldest unclaimed is dropped first. */
  private final Map<String, Tally> tallies = new LinkedHashMap<>();
  private int unclaimed;
  private int closed;
  private volatile long openedNanos;
  /**
   * Transactions decided lately (at most {@link #UNCLAIMED}, oldest dropped first): the replies
   * that arrive after the (f+1)-th are dropped without checking their signature, which was half
   * of this client's Ed25519 verifications (issue 9: 4.1 per transaction with n = 4).
   */
  private final java.util.LinkedHashSet<String> decided = new java.util.LinkedHashSet<>();

  ReplySubscription(ClientId client, int f, Predicate<Reply> verifier) {
    this.client = client;
    this.f = f;
    this.verifier = verifier;
  }

  /**
   * Connects to every node's {@code /replies?client=c} (ws:// for http://). A node that cannot
   * be reached within {@code connectTimeout} is left out (listed by {@link #unreachable()}); at
   * least f+1 must connect.
   *
   * @param nodes the nodes' HTTP base URLs
   * @param f faulty replicas tolerated: an outcome needs f+1 matching signed replies
   * @param verifier checks a REPLY's signature (Ed25519 under the replica's genesis key)
   * @throws IllegalStateException when fewer than f+1 nodes accept the subscription
   */
  public static ReplySubscription open(HttpClient http, List<URI> nodes, ClientId client, int f,
      Predicate<Reply> verifier, Duration connectTimeout) throws InterruptedException {
    Objects.requireNonNull(verifier, "verifier: unsigned replies are never counted");
    ReplySubscription sub = new ReplySubscription(client, f, verifier);
    List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    for (URI node : nodes) {
      URI ws = URI.create(node.toString().replaceFirst("^http", "ws") + "/replies?client="
          + client.value());
      Listener listener = sub.new Listener(node);
      listeners.add(listener);
      opening.add(http.newWebSocketBuilder().connectTimeout(connectTimeout)
          .buildAsync(ws, listener).toCompletableFuture());
    }
    for (int i = 0; i < opening.size(); i++) {
      try {
        opening.get(i).get(connectTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        sub.sockets.add(listeners.get(i));
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        sub.unreachable.add(nodes.get(i) + ": " + (e.getCause() != null ? e.getCause() : e));
      }
    }
    sub.openedNanos = System.nanoTime();
    if (sub.sockets.size() < f + 1) {
      sub.close();
      throw new IllegalStateException("only " + sub.sockets.size() + " of " + nodes.size()
          + " nodes accepted a reply subscription, f+1 = " + (f + 1) + " needed: "
          + sub.unreachable);
    }
    return sub;
  }

  /**
   * When {@link #open} had every socket it got open ({@link System#nanoTime()}): a reply a
   * replica pushes after this reaches the subscription while its socket stays open.
   */
  public long openedNanos() {
    return openedNanos;
  }

  /** Sockets still open: a node that restarted or closed its end is no longer counted. */
  public synchronized int live() {
    return sockets.size() - closed;
  }

  /** Nodes that could not be subscribed to, with the reason. */
  public synchronized List<String> unreachable() {
    return List.copyOf(unreachable);
  }

  /**
   * The outcome of {@code txId} once f+1 replicas pushed matching signed REPLYs; asks each
   * replica once for it in case it executed already. The future never times out by itself
   * (use {@link CompletableFuture#orTimeout}); {@link #close} fails it.
   */
  public CompletableFuture<CommittedTx> await(String txId) {
    return await(txId, true);
  }

  /**
   * As {@link #await(String)}; with {@code ask} false the replicas are not asked, for a
   * transaction first sent after this subscription opened ({@link #openedNanos()}): every reply
   * to it is pushed here, and a pushed reply is kept until awaited. Asking would cost each
   * replica a lookup, mostly of a transaction it has not executed yet.
   */
  public CompletableFuture<CommittedTx> await(String txId, boolean ask) {
    CompletableFuture<CommittedTx> out;
    synchronized (this) {
      decided.remove(txId); // awaited again: its replies count again
      Tally t = tallies.computeIfAbsent(txId, id -> new Tally(id));
      if (!t.awaited) {
        t.awaited = true;
        unclaimed -= t.votes.replies().isEmpty() ? 0 : 1;
      }
      out = t.result;
    }
    out.whenComplete((c, e) -> forget(txId));
    if (ask) {
      for (Listener socket : sockets) {
        socket.send(txId);
      }
    }
    return out;
  }

  /**
   * True when a socket to {@code node} is open with fewer than {@link #SUBMITS_PER_SOCKET}
   * submissions waiting on it, so that {@link #submit} can use it.
   */
  public boolean canSubmit(URI node) {
    return socketTo(node) != null;
  }

  /**
   * Submits a transaction on the socket to {@code node} instead of {@code POST /transactions}:
   * sends {@code body} (a {@code TransactionBody}'s JSON) as a text frame and completes with the
   * node's acknowledgement, the status and body the POST would have had. The node numbers the
   * frames it reads on the socket and echoes the number in the ack, so every ack finds its
   * submission, refusals without a txId too. Fails when no socket to {@code node} can take it
   * ({@link #canSubmit}) or it closes first (the caller POSTs instead), and with a {@link
   * java.util.concurrent.TimeoutException} after {@code timeout} without an ack (the caller
   * tries the next node, as after an HTTP timeout; the frame is not sent if it is still queued).
   */
  public CompletableFuture<SubmitAnswer> submit(URI node, String txId, byte[] body,
      Duration timeout) {
    Listener socket = socketTo(node);
    if (socket == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "no reply socket open to " + node + " with room for a submission"));
    }
    CompletableFuture<SubmitAnswer> ack = new CompletableFuture<>();
    socket.waiting.incrementAndGet();
    ack.whenComplete((a, e) -> socket.waiting.decrementAndGet());
    ack.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    socket.send(new String(body, java.nio.charset.StandardCharsets.UTF_8), ack)
        .whenComplete((w, e) -> {
          if (e != null) {
            ack.completeExceptionally(e);
          }
        });
    return ack;
  }

  private synchronized Listener socketTo(URI node) {
    for (Listener socket : sockets) {
      if (socket.node.equals(node) && socket.opened && !socket.gone
          && socket.waiting.get() < SUBMITS_PER_SOCKET) {
        return socket;
      }
    }
    return null;
  }

  private synchronized void forget(String txId) {
    tallies.remove(txId);
    if (decided.add(txId) && decided.size() > UNCLAIMED) {
      var it = decided.iterator();
      it.next();
      it.remove();
    }
  }

  /**
   * False for a reply that could not change anything: its transaction is decided, or this
   * replica was counted for it already. Checked before the signature, which is the costly part.
   */
  private synchronized boolean wanted(String txId, String replica) {
    if (decided.contains(txId)) {
      return false;
    }
    Tally t = tallies.get(txId);
    return t == null || t.counts(replica);
  }

  /**
   * Counts one pushed status; completes its transaction on the (f+1)-th matching signed reply.
   * The signature is checked and the future completed outside this object's lock: a completion
   * runs the caller's callbacks in this thread, and those may take the caller's own locks (a
   * {@link PushCommitWatcher} that asks {@link #live()} under its lock deadlocked with this).
   */
  void vote(TxStatus s) {
    Reply r = s.reply();
    if (r == null || !client.equals(r.client()) || !s.txId().equals(r.txId())
        || r.blockHeight() != s.blockHeight() || s.validationCode() == null
        || !r.validationCode().equals(s.validationCode().name()) || !r.result().equals(s.result())
        || !wanted(s.txId(), r.replica().toString()) || !verifier.test(r)) {
      return;  // not a valid signed reply of this client's, or one that cannot count any more
    }
    Tally t;
    java.util.Optional<CommittedTx> outcome;
    synchronized (this) {
      t = tallies.get(s.txId());
      if (t == null) {
        t = new Tally(s.txId());
        tallies.put(s.txId(), t);
        if (++unclaimed > UNCLAIMED) {
          dropOldestUnclaimed();
        }
      }
      outcome = t.add(r.replica().toString(), s);
    }
    Tally decided = t;
    outcome.ifPresent(c -> decided.result.complete(c));
  }

  private void dropOldestUnclaimed() {
    var it = tallies.values().iterator();
    while (it.hasNext()) {
      Tally t = it.next();
      if (!t.awaited) {
        it.remove();
        unclaimed--;
        return;
      }
    }
  }

  /** Closes every socket; awaited outcomes not yet confirmed fail. */
  @Override
  public void close() {
    List<Listener> mine;
    synchronized (this) {
      mine = List.copyOf(sockets);
    }
    for (Listener socket : mine) {
      socket.close();
    }
    List<Tally> open;
    synchronized (this) {
      open = new ArrayList<>(tallies.values());
      tallies.clear();
    }
    // failed outside the lock: the callers' callbacks run here (see vote)
    open.forEach(t -> t.result.completeExceptionally(
        new IllegalStateException("reply subscription closed")));
  }

  /** One transaction's votes, counted in a {@link ReplyCertificate} keyed by replica. */
  private final class Tally {
    final String txId;
    final long start = System.nanoTime();
    final ReplyCertificate<NodeAnswer.Outcome, String> votes = new ReplyCertificate<>(f);
    final CompletableFuture<CommittedTx> result = new CompletableFuture<>();
    boolean awaited;
    /** The outcome was handed out once (completed outside the lock, so not yet isDone()). */
    boolean decided;

    Tally(String txId) {
      this.txId = txId;
    }

    /** Counts {@code replica}'s status; the outcome once f+1 match (the caller completes it). */
    /** True while a reply of {@code replica} would still be counted. */
    boolean counts(String replica) {
      return !(decided || result.isDone() || votes.hasReplied(replica));
    }

    java.util.Optional<CommittedTx> add(String replica, TxStatus s) {
      if (!counts(replica)) {
        return java.util.Optional.empty();
      }
      NodeAnswer.Outcome mine = new NodeAnswer.Outcome(s.blockHeight(), s.validationCode(),
          s.result());
      return votes.add(replica, mine).map(o -> {
        decided = true;
        List<String> dissent = new ArrayList<>();
        votes.replies().forEach((voter, other) -> {
          if (!other.equals(o)) {
            dissent.add(voter + " reported " + other);
          }
        });
        return new CommittedTx(txId, s.blockHeight(), s.txIndex(), s.validationCode(),
            s.result(), List.copyOf(votes.voters(o)), dissent, false,
            (System.nanoTime() - start) / 1_000_000);
      });
    }
  }

  /**
   * Reassembles text frames; each complete message is a JSON array of {@link TxStatus}es (a
   * block's pushes) or one {@link TxStatus} (the answer to a query).
   */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final URI node;
    private WebSocket ws;
    /** The last send: the JDK's WebSocket takes the next only once it is done. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    /** Frames sent so far: the number the node gives the next one (only the send chain). */
    private long framesSent;
    /** Submissions sent and not yet acknowledged, by frame number. */
    private final Map<Long, CompletableFuture<SubmitAnswer>> pending =
        new java.util.concurrent.ConcurrentHashMap<>();
    /** Submissions handed to this socket and not yet answered (queued, sent or both). */
    final java.util.concurrent.atomic.AtomicInteger waiting =
        new java.util.concurrent.atomic.AtomicInteger();

    Listener(URI node) {
      this.node = node;
    }

    /** Sends {@code text} (a query) as one frame after the sends before it. */
    CompletableFuture<WebSocket> send(String text) {
      return send(text, null);
    }

    /**
     * Sends {@code text} as one frame after the sends before it; a submission's {@code ack} is
     * registered under the frame's number first, and its frame is not sent once {@code ack} is
     * done (timed out while queued).
     */
    CompletableFuture<WebSocket> send(String text, CompletableFuture<SubmitAnswer> ack) {
      synchronized (this) {
        CompletableFuture<WebSocket> next = lastSend.handle((x, e) -> null).thenCompose(x -> {
          if (ack != null && ack.isDone()) {
            return CompletableFuture.completedFuture(ws);
          }
          long frame = framesSent++;  // steps of the chain run one after another
          if (ack != null) {
            pending.put(frame, ack);
            ack.whenComplete((a, e) -> pending.remove(frame, ack));
          }
          return ws.sendText(text, true);
        });
        lastSend = next;
        return next;
      }
    }

    /** Completes the submission an {@code {"ack":…,"frame":n}} frame answers. */
    private void acknowledged(String text) throws java.io.IOException {
      com.fasterxml.jackson.databind.JsonNode frame = JSON.readTree(text);
      com.fasterxml.jackson.databind.JsonNode ack = frame.get("ack");
      if (ack == null || !frame.hasNonNull("frame") || !ack.hasNonNull("status")) {
        return;
      }
      CompletableFuture<SubmitAnswer> answer = pending.remove(frame.get("frame").asLong());
      if (answer != null) {
        answer.complete(new SubmitAnswer(ack.get("status").asInt(),
            ack.hasNonNull("body") ? ack.get("body").toString() : ""));
      }
    }

    void close() {
      synchronized (this) {
        if (ws != null) {
          lastSend = lastSend.handle((x, e) -> null)
              .thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          if (text.startsWith("{\"ack\"") || text.startsWith("{\"frame\"")) {
            acknowledged(text);
          } else if (text.startsWith("[")) {
            for (TxStatus s : JSON.readValue(text, TxStatus[].class)) {
              try {
                vote(s);
              } catch (RuntimeException e) {
                // that status counts for nothing; the block's others still do
              }
            }
          } else {
            vote(JSON.readValue(text, TxStatus.class));
          }
        } catch (java.io.IOException | RuntimeException e) {
          // a frame that is no TxStatus counts for nothing
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      socketGone();
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      socketGone();
    }

    private boolean opened;
    private boolean gone;

    @Override
    public void onOpen(WebSocket ws) {
      synchronized (this) {
        this.ws = ws;
      }
      synchronized (ReplySubscription.this) {
        opened = true;
      }
      ws.request(1);
    }

    private void socketGone() {
      synchronized (ReplySubscription.this) {
        if (opened && !gone) {
          gone = true;
          closed++;
        }
      }
      // its submissions wait no longer: they go by POST (failed outside every lock)
      pending.forEach((frame, answer) -> {
        if (pending.remove(frame, answer)) {
          answer.completeExceptionally(
              new IllegalStateException("the reply socket to " + node + " closed"));
        }
      });
    }
  }
}
