package org.bftlab.sim;

import java.util.Objects;
import java.util.Set;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.model.ProtocolParams;

/**
 * Everything a simulated run depends on; the same config always gives the same trace. Times are
 * in ticks.
 *
 * @param seed the run's seed: keys, workload, client targets, latencies and fault coins
 * @param params the cluster's protocol parameters (n = params.n())
 * @param transactions workload size (setup mints included)
 * @param clients number of signing clients
 * @param scheme signature scheme
 * @param faults network and process faults
 * @param latencyTicks base one-way latency of a replica link (>= 1)
 * @param jitterTicks extra latency, uniform in [0, jitterTicks]
 * @param clientSpacingTicks ticks between two planned client submissions
 * @param clientRetryTicks a client resends an uncommitted request to every node after this long
 * @param livenessBoundTicks each transaction must commit within this long after max(submission,
 *     last heal)
 * @param settleTicks the run goes on this long after the last scheduled fault or heal
 * @param maxTicks hard stop
 * @param ticked components that receive {@code Input.TICK} every tick
 * @param snapshotEvery each component compacts its journal (snapshot of the retained events) after
 *     an append that reaches a multiple of this many journaled events, as the Pekko shell does;
 *     0: never
 * @param checkContracts debug switch: check every decide of every component ({@code
 *     org.bftlab.core.ContractCheck}: no state change outside events, deterministic); slow
 * @param conflictPairs double-spend pairs in the workload ({@code
 *     Workload.generateWithConflicts}): transfers built on the same read, one VALID and one
 *     MVCC_READ_CONFLICT each; 0 for the plain token workload
 */
public record SimConfig(long seed, ProtocolParams params, int transactions, int clients,
    SimKeys.Scheme scheme, FaultSchedule faults, int latencyTicks, int jitterTicks,
    long clientSpacingTicks, long clientRetryTicks, long livenessBoundTicks, long settleTicks,
    long maxTicks, Set<NodeRoute.Kind> ticked, int snapshotEvery, boolean checkContracts,
    int conflictPairs) {
  /** A config with the plain token workload (no conflict pairs). */
  public SimConfig(long seed, ProtocolParams params, int transactions, int clients,
      SimKeys.Scheme scheme, FaultSchedule faults, int latencyTicks, int jitterTicks,
      long clientSpacingTicks, long clientRetryTicks, long livenessBoundTicks, long settleTicks,
      long maxTicks, Set<NodeRoute.Kind> ticked, int snapshotEvery, boolean checkContracts) {
    this(seed, params, transactions, clients, scheme, faults, latencyTicks, jitterTicks,
        clientSpacingTicks, clientRetryTicks, livenessBoundTicks, settleTicks, maxTicks, ticked,
        snapshotEvery, checkContracts, 0);
  }

  public SimConfig {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(faults, "faults");
    ticked = Set.copyOf(ticked);
    if (latencyTicks < 1 || jitterTicks < 0) {
      throw new IllegalArgumentException("need latency >= 1 tick and jitter >= 0");
    }
    if (snapshotEvery < 0) {
      throw new IllegalArgumentException("snapshotEvery must be >= 0, got " + snapshotEvery);
    }
  }
}
