package org.bftlab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.bftlab.api.TxStatus;
import org.bftlab.client.NodeAnswer.Counted;
import org.bftlab.client.NodeAnswer.Outcome;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.bftlab.core.quorum.ReplyCertificate;

/**
 * The polling {@link CommitWatcher}: asks {@code GET /transactions/{txId}} on every node with a
 * delay growing by half each time (from {@code pollInitialMs} up to {@code pollMaxMs}) until the
 * node gives a reply that counts, and counts replies in a {@link ReplyCertificate}.
 *
 * <p>A reply counts when its {@code TxStatus} is for this txId, its signed {@link Reply} agrees
 * with the status (txId, height, code, result) and passes the reply verifier (when one is
 * configured; without one, statuses without a reply also count). Voters are distinct by {@link
 * Reply#replica()} (or by node URL when there is no reply), so one node relaying another's reply
 * does not count twice. Thread-safe.
 */
final class PollingCommitWatcher implements CommitWatcher {
  private final List<URI> nodes;
  private final int f;
  private final NodeHttp http;
  private final ScheduledExecutorService scheduler;
  private final Predicate<Reply> replyVerifier;
  private final long pollInitialMs;
  private final long pollMaxMs;

  /**
   * @param replyVerifier checks a node's signed REPLY; null accepts every reply, and also
   *     statuses that carry no reply
   */
  PollingCommitWatcher(List<URI> nodes, int f, NodeHttp http, ScheduledExecutorService scheduler,
      Predicate<Reply> replyVerifier, long pollInitialMs, long pollMaxMs) {
    this.nodes = List.copyOf(nodes);
    this.f = f;
    this.http = http;
    this.scheduler = scheduler;
    this.replyVerifier = replyVerifier;
    this.pollInitialMs = pollInitialMs;
    this.pollMaxMs = pollMaxMs;
  }

  @Override
  public CompletableFuture<CommittedTx> await(String txId, Request request, Duration timeout) {
    return new Watch(txId, request, timeout).start();
  }

  /** State of one wait. All mutable state is guarded by {@code this}. */
  private final class Watch {
    private final String txId;
    private final Request request;
    private final Duration timeout;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<CommittedTx> future = new CompletableFuture<>();
    private final ReplyCertificate<Outcome, String> certificate = new ReplyCertificate<>(f);
    private final NodeAnswer[] answers = new NodeAnswer[nodes.size()];
    private final long[] delayMs = new long[nodes.size()];
    private boolean retransmitted;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    Watch(String txId, Request request, Duration timeout) {
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
      http.get(nodes.get(i), "/transactions/" + txId)
          .whenComplete((resp, err) -> onPoll(i, resp, err));
    }

    private void onPoll(int i, HttpResponse<String> resp, Throwable err) {
      CommittedTx done;
      boolean again;
      synchronized (this) {
        if (future.isDone()) {
          return;
        }
        NodeAnswer answer;
        if (err != null) {
          answer = new NodeAnswer.Unreachable(NodeHttp.describe(err));
        } else if (resp.statusCode() == 200) {
          answer = read(i, resp.body());
        } else if (resp.statusCode() == 404) {
          answer = new NodeAnswer.NotYet();
        } else {
          answer = new NodeAnswer.HttpStatus(resp.statusCode());
        }
        done = record(i, answer);
        again = done == null && !(answers[i] instanceof Counted);
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

    /**
     * Keeps node i's answer (a counted reply is final); returns the outcome when this answer is
     * the one that certifies it (only once, so the f+1 voters are those of that moment).
     */
    private CommittedTx record(int i, NodeAnswer answer) {
      if (answers[i] instanceof Counted || certificate.certified().isPresent()) {
        return null;
      }
      answers[i] = answer;
      if (answer instanceof Counted c) {
        return certificate.add(c.voter(), c.outcome()).map(this::committed).orElse(null);
      }
      return null;
    }

    /** Node i's 200 body, as a counted reply or why it does not count. */
    private NodeAnswer read(int i, String body) {
      TxStatus s;
      try {
        s = NodeHttp.JSON.readValue(body, TxStatus.class);
      } catch (JsonProcessingException e) {
        return new NodeAnswer.Invalid("answered a body that is not a TxStatus: "
            + e.getOriginalMessage());
      }
      if (!txId.equals(s.txId())) {
        return new NodeAnswer.Invalid("answered for another transaction " + s.txId());
      }
      if (s.validationCode() == null || s.result() == null) {
        return new NodeAnswer.Invalid("answered a status without validationCode or result");
      }
      Reply r = s.reply();
      if (r == null && replyVerifier != null) {
        return new NodeAnswer.Invalid("answered without a signed reply");
      }
      if (r != null && (!txId.equals(r.txId()) || r.blockHeight() != s.blockHeight()
          || !r.validationCode().equals(s.validationCode().name())
          || !r.result().equals(s.result()))) {
        return new NodeAnswer.Invalid("its signed reply (" + r.replica() + ": height "
            + r.blockHeight() + ", " + r.validationCode() + ", \"" + r.result()
            + "\") does not match its status");
      }
      if (r != null && replyVerifier != null && !replyVerifier.test(r)) {
        return new NodeAnswer.Invalid("reply claiming to be from " + r.replica()
            + " has an invalid signature");
      }
      String voter = r != null ? r.replica().toString() : nodes.get(i).toString();
      return new Counted(voter, new Outcome(s.blockHeight(), s.validationCode(), s.result()), s);
    }

    private CommittedTx committed(Outcome outcome) {
      TxStatus first = null;
      Set<String> voters = new LinkedHashSet<>(); // in node order
      List<String> dissent = new ArrayList<>();
      for (int i = 0; i < answers.length; i++) {
        NodeAnswer a = answers[i];
        if (a instanceof Counted c && c.outcome().equals(outcome)) {
          first = first == null ? c.status() : first;
          voters.add(c.voter());
        } else if (a instanceof Counted c) {
          dissent.add(c.voter() + " at " + nodes.get(i) + " reported " + c.outcome());
        } else if (a instanceof NodeAnswer.Invalid invalid) {
          dissent.add(nodes.get(i) + " " + invalid.why());
        }
      }
      return new CommittedTx(txId, outcome.blockHeight(), first.txIndex(), outcome.code(),
          outcome.result(), List.copyOf(voters), dissent, retransmitted,
          (System.nanoTime() - startNanos) / 1_000_000);
    }

    private void retransmit() {
      synchronized (this) {
        if (future.isDone()) {
          return;
        }
        retransmitted = true;
      }
      byte[] body = NodeHttp.bodyOf(request);
      for (int i = 0; i < nodes.size(); i++) {
        int node = i;
        http.post(nodes.get(i), body).whenComplete((resp, err) -> {
          CommittedTx done = null;
          synchronized (this) {
            // A 200 carries that node's committed status: count it like a poll answer.
            if (err == null && resp.statusCode() == 200 && !future.isDone()) {
              done = record(node, read(node, resp.body()));
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
      int best = certificate.best();
      StringBuilder b = new StringBuilder("transaction ").append(txId)
          .append(" not confirmed within ").append(timeout.toMillis()).append(" ms: ")
          .append(best).append(" matching repl").append(best == 1 ? "y" : "ies")
          .append(" of the f+1 = ").append(certificate.needed()).append(" needed");
      certificate.replies().values().stream().distinct().forEach(o -> {
        Set<String> voters = certificate.voters(o);
        b.append("; ").append(o).append(" from ").append(voters);
      });
      List<String> silent = new ArrayList<>();
      for (int i = 0; i < answers.length; i++) {
        if (!(answers[i] instanceof Counted)) {
          silent.add(nodes.get(i) + " "
              + (answers[i] == null ? "no answer" : answers[i].describe()));
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
}
