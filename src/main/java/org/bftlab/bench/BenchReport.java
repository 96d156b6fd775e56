package org.bftlab.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bftlab bench} measured.
 *
 * @param nodes n
 * @param f f
 * @param concurrency transactions in flight (closed loop)
 * @param warmupSeconds warm-up before the first window, s
 * @param windows the measured windows, in order
 */
public record BenchReport(int nodes, int f, int concurrency, long warmupSeconds,
    List<BenchWindow> windows) {
  public BenchReport {
    windows = List.copyOf(windows);
  }

  /** The report as a table, one row per window. */
  public void printTable(PrintStream out) {
    out.printf(Locale.ROOT, "bftlab bench: n = %d, f = %d, %d in flight, warm-up %d s%n", nodes,
        f, concurrency, warmupSeconds);
    out.printf(Locale.ROOT, "%-3s %8s %8s %8s %8s %8s %11s %10s %7s %8s %10s  %s%n", "win",
        "tx/s", "p50 ms", "p90 ms", "p99 ms", "failed", "replica µs", "client µs", "tx/blk",
        "http/tx", "disk B/tx", "live heap (MiB)");
    for (BenchWindow w : windows) {
      out.printf(Locale.ROOT, "%-3d %8.1f %8.1f %8.1f %8.1f %8d %11.0f %10.0f %7.1f %8.2f %10.0f  %s%n",
          w.index(), w.throughput(), w.p50Ms(), w.p90Ms(), w.p99Ms(), w.failed(),
          w.replicaCpuMicrosPerTx(), w.clientCpuMicrosPerTx(), w.txPerBlock(),
          w.httpRequestsPerTx(), w.storageBytesPerTxPerNode(), w.liveHeapMb());
    }
    out.printf(Locale.ROOT, "%-3s %8s %12s %12s %10s   (all replicas together, per committed"
        + " tx)%n", "win", "sigs/tx", "replica-vf/tx", "client-vf/tx", "writes/tx");
    for (BenchWindow w : windows) {
      out.printf(Locale.ROOT, "%-3d %8.2f %12.2f %12.2f %10.2f%n", w.index(), w.signaturesPerTx(),
          w.replicaVerificationsPerTx(), w.clientVerificationsPerTx(), w.journalWritesPerTx());
    }
    out.println("replica µs = CPU of all replicas together per committed transaction; "
        + "client µs = CPU of this load process per committed transaction; writes = journal "
        + "writes (group commits, each fsynced)");
  }
}
