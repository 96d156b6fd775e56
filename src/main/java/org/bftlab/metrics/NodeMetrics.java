package org.bftlab.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.bftlab.core.Event;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.crypto.VerifiedRequests;
import org.bftlab.trace.NodeEvents;

/**
 * One node's Prometheus metrics (Micrometer), in the field's names (CometBFT's
 * {@code consensus_*}, Fabric's): fed by what the node's shell reports ({@link NodeEvents}:
 * journaled events, rounds) and by sources bound at start ({@link #bind}); the core is never
 * read. Every metric carries the label {@code node}. Scraped as Prometheus text (format 0.0.4)
 * by {@link #scrape()}.
 *
 * <table>
 *   <caption>metrics (units: seconds, counts)</caption>
 *   <tr><td>consensus_height</td><td>gauge: height of the last block committed</td></tr>
 *   <tr><td>consensus_view, consensus_primary_id, consensus_is_primary</td><td>gauges: the
 *       installed view v, primary(v) = v mod n, 1 when this node is it</td></tr>
 *   <tr><td>consensus_view_changes_total</td><td>new views installed here (OSDI'99 §4.4)</td></tr>
 *   <tr><td>consensus_block_interval_seconds</td><td>timer: between two blocks</td></tr>
 *   <tr><td>consensus_num_txs</td><td>summary: transactions per block</td></tr>
 *   <tr><td>consensus_committed_txs_total{validation_code}</td><td>transactions in committed
 *       blocks by validation code (all but VALID are rejected)</td></tr>
 *   <tr><td>consensus_request_pool_size</td><td>gauge: requests waiting to be ordered</td></tr>
 *   <tr><td>consensus_phase_duration_seconds{phase}</td><td>timer: {@code prepare}
 *       (pre-prepare → prepared) and {@code commit} (prepared → committed-local), §4.2</td></tr>
 *   <tr><td>journal_persist_seconds{component}</td><td>timer: one group-commit journal write</td></tr>
 *   <tr><td>consensus_stable_checkpoint</td><td>gauge: seqNo of the last stable checkpoint</td></tr>
 *   <tr><td>consensus_state_transfers_total</td><td>state transfers completed</td></tr>
 *   <tr><td>consensus_safety_violations_total{check}</td><td>safety violations this replica
 *       sees online: {@code stable-checkpoint-differs} — 2f+1 members certified a checkpoint
 *       digest other than this replica's own at the same seqNo (its state diverged, or more than
 *       f are faulty; {@code BlockCommitEvent.StateDiverged}). Stays 0 in a healthy cluster;
 *       alert on any increase</td></tr>
 *   <tr><td>consensus_checkpoint_mismatches_total{peer}</td><td>valid CHECKPOINTs from a
 *       member whose digest differs from this replica's own (that member is faulty, or this
 *       replica diverged)</td></tr>
 *   <tr><td>consensus_messages_dropped_total{reason="fault-rule"}</td><td>outgoing messages a
 *       fault rule dropped</td></tr>
 *   <tr><td>consensus_replicas_reachable</td><td>gauge: replicas this one reaches, itself
 *       included</td></tr>
 *   <tr><td>crypto_signatures_total, crypto_verifications_total{signer},
 *       crypto_client_verifications_saved_total</td><td>Ed25519 work
 *       ({@link VerifiedRequests})</td></tr>
 *   <tr><td>http_requests_refused_total{status}</td><td>503 (request pool full) and 429 (host
 *       over its rate)</td></tr>
 *   <tr><td>http_requests_in_flight</td><td>gauge: requests being served</td></tr>
 *   <tr><td>trace_lines_dropped_total</td><td>live-trace lines dropped (writer behind)</td></tr>
 *   <tr><td>jvm_*, process_*, system_*</td><td>Micrometer's JVM binders</td></tr>
 * </table>
 */
public final class NodeMetrics implements NodeEvents, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final NodeId self;
  private final ProtocolParams params;
  private final AtomicLong height = new AtomicLong();
  private final AtomicLong view = new AtomicLong();
  private final AtomicLong stable = new AtomicLong();
  private final AtomicLong pool = new AtomicLong();
  private final AtomicLong lastBlockNanos = new AtomicLong();
  private final Counter viewChanges;
  private final Counter stateTransfers;
  private final Counter divergences;
  private final Map<NodeId, Counter> mismatches = new ConcurrentHashMap<>();
  private final Timer blockInterval;
  private final DistributionSummary txsPerBlock;
  private final Timer prepare;
  private final Timer commit;
  private final Map<ValidationCode, Counter> committedTxs = new ConcurrentHashMap<>();
  private final Map<String, Timer> persist = new ConcurrentHashMap<>();
  /** Start of each phase, by seqNo: [pre-prepare nanos, prepared nanos]. */
  private final Map<Long, long[]> phases = new ConcurrentHashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final List<Object> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile long refused503;
  private volatile long refused429;
  private volatile long inFlight;

  /** Phase starts kept at most (a slot that never commits here is forgotten past it). */
  static final int MAX_OPEN_PHASES = 4096;

  public NodeMetrics(NodeId self, ProtocolParams params) {
    this.self = self;
    this.params = params;
    registry.config().commonTags("node", self.toString());
    Gauge.builder("consensus.height", height, AtomicLong::get)
        .description("height of the last block committed").register(registry);
    Gauge.builder("consensus.view", view, AtomicLong::get)
        .description("installed view v").register(registry);
    Gauge.builder("consensus.primary.id", view, v -> params.primary(v.get()).index())
        .description("index of primary(v) = v mod n").register(registry);
    Gauge.builder("consensus.is.primary", view,
            v -> params.primary(v.get()).equals(self) ? 1 : 0)
        .description("1 when this replica is the primary of its view").register(registry);
    Gauge.builder("consensus.stable.checkpoint", stable, AtomicLong::get)
        .description("seqNo of the last stable checkpoint").register(registry);
    Gauge.builder("consensus.request.pool.size", pool, AtomicLong::get)
        .description("client requests waiting to be ordered").register(registry);
    viewChanges = Counter.builder("consensus.view.changes")
        .description("new views installed at this replica").register(registry);
    stateTransfers = Counter.builder("consensus.state.transfers")
        .description("state transfers completed").register(registry);
    divergences = Counter.builder("consensus.safety.violations")
        .tag("check", "stable-checkpoint-differs")
        .description("safety violations seen online by this replica").register(registry);
    blockInterval = Timer.builder("consensus.block.interval")
        .description("time between two committed blocks").register(registry);
    txsPerBlock = DistributionSummary.builder("consensus.num.txs")
        .description("transactions per committed block").register(registry);
    prepare = phase("prepare");
    commit = phase("commit");
    Gauge.builder("http.requests.in.flight", this, m -> m.inFlight)
        .description("HTTP requests being served").register(registry);
    FunctionCounter.builder("http.requests.refused", this, m -> m.refused503)
        .tag("status", "503").description("HTTP requests refused").register(registry);
    FunctionCounter.builder("http.requests.refused", this, m -> m.refused429)
        .tag("status", "429").description("HTTP requests refused").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  private Timer phase(String name) {
    return Timer.builder("consensus.phase.duration").tag("phase", name)
        .description("prepare: pre-prepare to prepared; commit: prepared to committed-local")
        .register(registry);
  }

  /**
   * Binds the node's counting sources, read at each scrape.
   *
   * @param reachablePeers peers this replica reaches now (itself excluded)
   * @param faultDrops outgoing messages dropped by fault rules so far
   * @param crypto signature counts
   * @param traceDrops live-trace lines dropped so far
   */
  public NodeMetrics bind(LongSupplier reachablePeers, LongSupplier faultDrops,
      Supplier<VerifiedRequests.Counts> crypto, LongSupplier traceDrops) {
    // Micrometer holds a gauge's or function counter's object weakly: keep the sources here
    sources.addAll(List.of(reachablePeers, faultDrops, crypto, traceDrops));
    Gauge.builder("consensus.replicas.reachable", reachablePeers, s -> s.getAsLong() + 1)
        .description("replicas this one reaches, itself included").register(registry);
    FunctionCounter.builder("consensus.messages.dropped", faultDrops, LongSupplier::getAsLong)
        .tag("reason", "fault-rule").description("outgoing messages dropped")
        .register(registry);
    FunctionCounter.builder("crypto.signatures", crypto, c -> c.get().signatures())
        .description("Ed25519 signatures made").register(registry);
    FunctionCounter.builder("crypto.verifications", crypto, c -> c.get().replicaVerifications())
        .tag("signer", "replica").description("Ed25519 verifications").register(registry);
    FunctionCounter.builder("crypto.verifications", crypto, c -> c.get().clientVerifications())
        .tag("signer", "client").description("Ed25519 verifications").register(registry);
    FunctionCounter.builder("crypto.client.verifications.saved", crypto,
            c -> c.get().clientVerificationsSaved())
        .description("client verifications skipped (already verified)").register(registry);
    FunctionCounter.builder("trace.lines.dropped", traceDrops, LongSupplier::getAsLong)
        .description("live-trace lines dropped").register(registry);
    return this;
  }

  /** Starts from the recovered status (a restart replays its journal without reporting it). */
  public void seed(long height, long view, long stableCheckpoint) {
    this.height.accumulateAndGet(height, Math::max);
    this.view.accumulateAndGet(view, Math::max);
    this.stable.accumulateAndGet(stableCheckpoint, Math::max);
  }

  /** The HTTP request pool's counts, as {@code api}'s flood gate reports them at a scrape. */
  public void http(long refusedPoolFull, long refusedRate, long inFlight) {
    this.refused503 = refusedPoolFull;
    this.refused429 = refusedRate;
    this.inFlight = inFlight;
  }

  /** Every metric in the Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry (tests, extra binders). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void persisted(String component, List<? extends Event> events, long persistNanos) {
    persist.computeIfAbsent(component, c -> Timer.builder("journal.persist")
            .tag("component", c).description("one group-commit journal write")
            .register(registry))
        .record(persistNanos, TimeUnit.NANOSECONDS);
    long now = System.nanoTime();
    for (Event e : events) {
      observe(e, now);
    }
  }

  @Override
  public void applied(String component, Event event) {
    if (event instanceof BlockCommitEvent.StateDiverged) {
      divergences.increment();
    } else if (event instanceof BlockCommitEvent.CheckpointMismatch m) {
      mismatches.computeIfAbsent(m.checkpoint().sender(), peer -> Counter.builder(
              "consensus.checkpoint.mismatches").tag("peer", peer.toString())
          .description("CHECKPOINTs whose digest differs from this replica's own")
          .register(registry)).increment();
    }
  }

  private void observe(Event e, long now) {
    if (e instanceof AgreementEvent.PrePrepareAccepted a) {
      started(a.pp().seqNo(), now);
    } else if (e instanceof AgreementEvent.PrePrepareSent s) {
      started(s.pp().seqNo(), now);
    } else if (e instanceof AgreementEvent.Prepared p) {
      long[] t = phases.get(p.seqNo());
      if (t != null) {
        prepare.record(now - t[0], TimeUnit.NANOSECONDS);
        t[1] = now;
      }
    } else if (e instanceof AgreementEvent.CommittedLocal c) {
      long[] t = phases.remove(c.seqNo());
      if (t != null && t[1] != 0) {
        commit.record(now - t[1], TimeUnit.NANOSECONDS);
      }
    } else if (e instanceof BlockCommitEvent.BlockCommitted bc) {
      block(bc, now);
    } else if (e instanceof ElectionEvent.NewViewInstalled nv) {
      viewChanges.increment();
      view.accumulateAndGet(nv.view(), Math::max);
    } else if (e instanceof BlockCommitEvent.CheckpointStable cs) {
      stable.accumulateAndGet(cs.seqNo(), Math::max);
    } else if (e instanceof BlockCommitEvent.StateTransferred st) {
      stateTransfers.increment();
      stable.accumulateAndGet(st.seqNo(), Math::max);
    }
  }

  private void started(long seqNo, long now) {
    if (phases.size() >= MAX_OPEN_PHASES) {
      phases.clear();
    }
    phases.put(seqNo, new long[] {now, 0});
  }

  private void block(BlockCommitEvent.BlockCommitted bc, long now) {
    height.accumulateAndGet(bc.block().height(), Math::max);
    view.accumulateAndGet(bc.view(), Math::max);
    long last = lastBlockNanos.getAndSet(now);
    if (last != 0) {
      blockInterval.record(Duration.ofNanos(now - last));
    }
    txsPerBlock.record(bc.block().entries().size());
    for (BlockEntry x : bc.block().entries()) {
      committedTxs.computeIfAbsent(x.code(), code -> Counter.builder("consensus.committed.txs")
          .tag("validation_code", code.name())
          .description("transactions in committed blocks, by validation code")
          .register(registry)).increment();
    }
  }

  @Override
  public void roundDecided(String component, Object state) {
    if (state instanceof AgreementState a) {
      pool.set(a.pendingRequests());
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
