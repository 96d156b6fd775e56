package org.bftlab.trace;

/**
 * The data of a trace's first line ({@code kind = run}): what a checker needs to judge the run
 * from the trace alone.
 *
 * @param seed the run's seed
 * @param n number of replicas
 * @param f faulty replicas tolerated, (n - 1) / 3
 * @param clusterId the cluster id requests are signed for
 * @param scheme signature scheme ({@code ED25519} or {@code MAC})
 * @param transactions workload size
 * @param distinctTransactions distinct transaction ids the clients will submit
 * @param livenessBoundTicks every submitted transaction must commit within this many ticks
 *     after max(its first submission, the last heal)
 */
public record RunInfo(long seed, int n, int f, String clusterId, String scheme, int transactions,
    long distinctTransactions, long livenessBoundTicks) {}
