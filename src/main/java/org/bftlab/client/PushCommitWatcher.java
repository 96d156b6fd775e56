package org.bftlab.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push {@link CommitWatcher} (issue 9 item 2): a transaction's outcome comes from the signed
 * REPLYs that replicas push on a {@link ReplySubscription} as they execute it, so a client sends
 * one POST per transaction and no GET in the normal case. The f+1 rule is the same as polling
 * (OSDI'99 §4.1: f+1 replies with valid signatures from different replicas, same result).
 *
 * <p>Polling stays the fallback, never the norm: when the subscription cannot be opened on f+1
 * nodes, or fewer than f+1 of its sockets are still open (a node restarted), or a transaction is
 * not confirmed by push within {@code grace}, that transaction is handed to the
 * {@link PollingCommitWatcher} for the rest of its timeout — which also re-sends the request to
 * every node at half of it. A subscription with too few open sockets is re-opened, at most once
 * per {@code grace}. Thread-safe.
 */
final class PushCommitWatcher implements CommitWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(PushCommitWatcher.class);

  private final HttpClient http;
  private final List<URI> nodes;
  private final ClientId client;
  private final int f;
  private final Predicate<Reply> verifier;
  private final ScheduledExecutorService scheduler;
  private final CommitWatcher polling;
  private final Duration grace;
  private ReplySubscription subscription;
  private long lastOpenNanos;
  private boolean closed;
  private boolean opening;

  /**
   * @param verifier checks each pushed REPLY's signature; required (an unsigned reply is never
   *     counted)
   * @param polling the fallback for transactions push does not confirm within {@code grace}
   * @param grace how long a transaction waits for pushed replies before polling starts too
   */
  PushCommitWatcher(HttpClient http, List<URI> nodes, ClientId client, int f,
      Predicate<Reply> verifier, ScheduledExecutorService scheduler, CommitWatcher polling,
      Duration grace) {
    this.http = http;
    this.nodes = List.copyOf(nodes);
    this.client = client;
    this.f = f;
    this.verifier = java.util.Objects.requireNonNull(verifier, "verifier");
    this.scheduler = scheduler;
    this.polling = polling;
    this.grace = grace;
  }

  @Override
  public CompletableFuture<CommittedTx> await(String txId, Request request, Duration timeout) {
    return await(txId, request, timeout, OptionalLong.empty());
  }

  @Override
  public CompletableFuture<CommittedTx> awaitSubmitted(String txId, Request request,
      Duration timeout, long submittedNanos) {
    return await(txId, request, timeout, OptionalLong.of(submittedNanos));
  }

  private CompletableFuture<CommittedTx> await(String txId, Request request, Duration timeout,
      OptionalLong submittedNanos) {
    ReplySubscription sub = subscription();
    if (sub == null || timeout.compareTo(grace.multipliedBy(2)) < 0) {
      return polling.await(txId, request, timeout);
    }
    // submitted after the subscription opened: its replies are pushed to it (kept until awaited)
    boolean ask = submittedNanos.isEmpty() || submittedNanos.getAsLong() - sub.openedNanos() < 0;
    CompletableFuture<CommittedTx> pushed = sub.await(txId, ask);
    CompletableFuture<CommittedTx> out = new CompletableFuture<>();
    pushed.whenComplete((c, e) -> {
      if (c != null) {
        out.complete(c);
      }
    });
    ScheduledFuture<?> fallback;
    try {
      fallback = scheduler.schedule(() -> {
        if (!out.isDone()) {
          polling.await(txId, request, timeout.minus(grace)).whenComplete((c, e) -> {
            if (e != null) {
              out.completeExceptionally(e);
            } else {
              out.complete(c);
            }
          });
        }
      }, grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pushed.cancel(false);
      return CompletableFuture.failedFuture(new IllegalStateException("client is closed", e));
    }
    out.whenComplete((c, e) -> {
      fallback.cancel(false);
      pushed.cancel(false); // drops the tally when polling won
    });
    return out;
  }

  /**
   * The open subscription when at least f+1 of its sockets are open; otherwise null (poll), and
   * a (re-)open starts on its own daemon thread, at most once per {@code grace}, so no caller
   * (often an HTTP client's completion thread) ever blocks on a WebSocket handshake.
   */
  ReplySubscription subscription() {
    ReplySubscription current;
    synchronized (this) {
      current = closed ? null : subscription;
    }
    // asked outside this lock: a subscription's lock is never taken while this one is held
    if (current != null && current.live() >= f + 1) {
      return current;
    }
    synchronized (this) {
      if (closed) {
        return null;
      }
      long now = System.nanoTime();
      if (!opening && (lastOpenNanos == 0 || now - lastOpenNanos >= grace.toNanos())) {
        opening = true;
        lastOpenNanos = now;
        Thread t = new Thread(this::reopen, "bftlab-reply-subscription-" + client.value());
        t.setDaemon(true);
        t.start();
      }
      return null;
    }
  }

  private void reopen() {
    ReplySubscription stale;
    synchronized (this) {
      stale = subscription;
      subscription = null;
    }
    if (stale != null) {
      stale.close();
    }
    ReplySubscription fresh = null;
    try {
      fresh = ReplySubscription.open(http, nodes, client, f, verifier, grace);
    } catch (RuntimeException e) {
      // fewer than f+1 nodes accepted it, or an HTTP client without WebSockets
      LOG.info("{}: replies by push unavailable for now, polling instead: {}", client,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      opening = false;
      if (fresh != null && !closed) {
        subscription = fresh;
        fresh = null;
      }
    }
    if (fresh != null) {
      fresh.close();
    }
  }

  /** Closes the subscription; awaited outcomes not yet confirmed by push fall back or fail. */
  void close() {
    ReplySubscription sub;
    synchronized (this) {
      closed = true;
      sub = subscription;
      subscription = null;
    }
    if (sub != null) {
      sub.close();
    }
  }
}
