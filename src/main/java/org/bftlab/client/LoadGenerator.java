package org.bftlab.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.workload.Workload;

/**
 * Runs a {@link Workload} against a cluster with a bounded number of transactions in flight and
 * an optional target rate, and measures each transaction's latency from submission to its
 * f+1-confirmed outcome ({@link BftlabClient#awaitCommitted(Request, Duration)}).
 *
 * <p>The setup mints run first and must all finish before the transfers start. The replay step
 * is signed with its original's timestamp and submitted as soon as the original's submission
 * returned. Latencies are recorded in microseconds in an HdrHistogram (3 significant digits).
 */
public final class LoadGenerator {
  private final List<BftlabClient> clients;
  private final Duration commitTimeout;

  /**
   * @param clients one client per workload client, same order and ids ({@link
   *     Workload#clients()})
   * @param commitTimeout how long each transaction may take to be confirmed
   */
  public LoadGenerator(List<BftlabClient> clients, Duration commitTimeout) {
    this.clients = List.copyOf(clients);
    this.commitTimeout = Objects.requireNonNull(commitTimeout, "commitTimeout");
    if (this.clients.isEmpty()) {
      throw new IllegalArgumentException("a load generator needs at least one client");
    }
  }

  /**
   * Runs {@code workload}, blocking the calling thread until every transaction has an outcome.
   *
   * @param concurrency most transactions in flight at once (>= 1)
   * @param ratePerSecond target submissions per second; 0 submits as fast as {@code concurrency}
   *     allows
   * @param progress called with the number of confirmed transactions after each one (from
   *     client threads); may be null
   * @throws IllegalArgumentException when the workload's clients are not this generator's
   * @throws InterruptedException when the calling thread is interrupted
   */
  public LoadReport run(Workload workload, int concurrency, double ratePerSecond,
      LongConsumer progress) throws InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0 tx/s, got " + ratePerSecond);
    }
    if (workload.clients().size() > clients.size()) {
      throw new IllegalArgumentException("the workload has " + workload.clients().size()
          + " clients, the generator " + clients.size());
    }
    for (int i = 0; i < workload.clients().size(); i++) {
      if (!workload.clients().get(i).equals(clients.get(i).clientId())) {
        throw new IllegalArgumentException("workload client " + i + " is "
            + workload.clients().get(i) + " but generator client " + i + " is "
            + clients.get(i).clientId());
      }
    }
    Run run = new Run(workload, progress == null ? n -> { } : progress);
    Semaphore inFlight = new Semaphore(concurrency);
    long start = System.nanoTime();
    long intervalNanos = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
    long dispatched = 0;
    for (List<Workload.Step> phase : List.of(workload.setupSteps(), workload.mainSteps())) {
      for (Workload.Step step : phase) {
        inFlight.acquire();
        if (intervalNanos > 0) {
          long due = start + dispatched * intervalNanos;
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
          }
        }
        dispatched++;
        run.step(step).whenComplete((v, e) -> inFlight.release());
      }
      inFlight.acquire(concurrency); // barrier: every step of this phase has an outcome
      inFlight.release(concurrency);
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    return run.report(elapsedMs);
  }

  /** Counters of one run. */
  private final class Run {
    private final Workload workload;
    private final LongConsumer progress;
    private final Histogram latencyMicros = new ConcurrentHistogram(3);
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Map<String, Long> rejected = new ConcurrentHashMap<>();
    private final Map<ValidationCode, Long> codes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> byKind = new ConcurrentHashMap<>();
    /** Originals of replays, completed with their request once their submission returned. */
    private final Map<Integer, CompletableFuture<Request>> originals = new ConcurrentHashMap<>();
    private final AtomicReference<String> replay =
        new AtomicReference<>("not caught: no outcome for the replay");

    Run(Workload workload, LongConsumer progress) {
      this.workload = workload;
      this.progress = progress;
      for (Workload.Step s : workload.steps()) {
        if (s.replayOf() >= 0) {
          originals.put(s.replayOf(), new CompletableFuture<>());
        }
      }
    }

    CompletableFuture<Void> step(Workload.Step step) {
      BftlabClient client = clients.get(step.clientIndex());
      CompletableFuture<Request> request;
      if (step.replayOf() >= 0) {
        request = originals.get(step.replayOf()).thenApply(orig -> client.signRequest(
            orig.timestamp(), step.contract(), step.operation(), step.args()));
      } else {
        try {
          request = CompletableFuture.completedFuture(
              client.newRequest(step.contract(), step.operation(), step.args()));
        } catch (RuntimeException e) { // e.g. the signer failed
          request = CompletableFuture.failedFuture(e);
          CompletableFuture<Request> original = originals.get(step.index());
          if (original != null) {
            original.completeExceptionally(e);
          }
        }
      }
      return request.thenCompose(req -> {
        long t0 = System.nanoTime();
        submitted.incrementAndGet();
        CompletableFuture<SubmitReceipt> sub = client.submit(req);
        CompletableFuture<Request> original = originals.get(step.index());
        if (original != null) {
          sub.whenComplete((r, e) -> original.complete(req));
        }
        return sub.thenCompose(receipt -> client.awaitCommitted(req, commitTimeout))
            .handle((tx, err) -> {
              record(step, tx, err, System.nanoTime() - t0);
              return (Void) null;
            });
      }).exceptionally(err -> { // the request could not be built or signed
        record(step, null, err, 0);
        return null;
      });
    }

    private void record(Workload.Step step, CommittedTx tx, Throwable err, long nanos) {
      String kind = step.kind().name();
      if (tx != null) {
        ValidationCode code = tx.validationCode();
        if (step.kind() == Workload.Kind.REPLAY) {
          // The chain keeps one request per (client, t); GET /transactions/{txId} shows the
          // one that executed (the original, submitted first), not the flagged duplicate.
          code = ValidationCode.DUPLICATE_TXID;
          replay.set("caught in the chain: txId " + tx.txId() + " confirmed once (height "
              + tx.blockHeight() + ", " + tx.validationCode() + "); the replay is counted as "
              + "DUPLICATE_TXID by inference, as the original was submitted first");
        }
        latencyMicros.recordValue(Math.max(1, nanos / 1000));
        codes.merge(code, 1L, Long::sum);
        count(kind, code.name());
        progress.accept(committed.incrementAndGet());
        return;
      }
      Throwable cause = unwrap(err);
      if (cause instanceof SubmitRejected r) {
        rejected.merge(r.errorCode(), 1L, Long::sum);
        count(kind, "gateway:" + r.errorCode());
        if (step.kind() == Workload.Kind.REPLAY && "DUPLICATE_TXID".equals(r.errorCode())) {
          replay.set("caught at the gateway: 409 DUPLICATE_TXID (" + r.detail() + ")");
        }
      } else if (cause instanceof TimeoutException) {
        timedOut.incrementAndGet();
        count(kind, "TIMEOUT");
      } else {
        count(kind, "ERROR");
      }
    }

    private void count(String kind, String outcome) {
      byKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).merge(outcome, 1L, Long::sum);
    }

    LoadReport report(long elapsedMs) {
      return LoadReport.of(workload.steps().size(), submitted.get(), committed.get(),
          timedOut.get(), rejected, codes, byKind, replay.get(), elapsedMs, latencyMicros);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
