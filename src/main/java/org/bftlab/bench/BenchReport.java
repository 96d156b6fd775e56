package org.bftlab.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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

  /**
   * The trend of the replicas' live heap over the run: a least-squares line through each
   * window's mean live heap (the replicas with a reading), from the second window on (the
   * first still holds the warm-up's caches filling); single readings swing by ±20 % with the
   * moment the forced collection falls on, the line shows growth.
   *
   * @param firstWindow first window in the fit
   * @param lastWindow last window in the fit
   * @param startMb the line at {@code firstWindow}, MiB
   * @param endMb the line at {@code lastWindow}, MiB
   * @param changePercent (end − start) / start, in percent
   */
  public record HeapTrend(int firstWindow, int lastWindow, double startMb, double endMb,
      double changePercent) {}

  /**
   * {@link HeapTrend} over windows 2 … last; empty with fewer than three readable windows among
   * them (so it takes four windows or more, e.g. {@code --duration 10m}: a line through two
   * readings that swing ±20 % would say nothing), or a line that starts at or below zero.
   */
  public Optional<HeapTrend> heapTrend() {
    List<double[]> points = new ArrayList<>();
    for (BenchWindow w : windows.subList(Math.min(1, windows.size()), windows.size())) {
      w.liveHeapMb().stream().filter(mb -> mb >= 0).mapToDouble(Double::doubleValue).average()
          .ifPresent(mean -> points.add(new double[] {w.index(), mean}));
    }
    if (points.size() < 3) {
      return Optional.empty();
    }
    double mx = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (double[] p : points) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    double slope = sxy / sxx;
    int first = (int) points.get(0)[0];
    int last = (int) points.get(points.size() - 1)[0];
    double start = my + slope * (first - mx);
    double end = my + slope * (last - mx);
    if (start <= 0) {
      return Optional.empty();
    }
    return Optional.of(new HeapTrend(first, last, start, end, (end - start) / start * 100));
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
    out.printf(Locale.ROOT, "%-3s %10s %10s %10s %10s   (bytes written into each replica's"
        + " files per committed tx, per replica)%n", "win", "journal", "blocks", "index",
        "snapshots");
    for (BenchWindow w : windows) {
      Map<String, Double> b = w.fileBytesPerTxPerNode();
      out.printf(Locale.ROOT, "%-3d %10.0f %10.0f %10.0f %10.0f%n", w.index(),
          b.getOrDefault("journal", -1.0), b.getOrDefault("blocks", -1.0),
          b.getOrDefault("index", -1.0), b.getOrDefault("snapshots", -1.0));
    }
    heapTrend().ifPresent(t -> out.printf(Locale.ROOT, "live heap, mean of the replicas,"
        + " least-squares line over windows %d-%d: %.1f -> %.1f MiB (%+.1f %%)%n",
        t.firstWindow(), t.lastWindow(), t.startMb(), t.endMb(), t.changePercent()));
    out.println("replica µs = CPU of all replicas together per committed transaction; "
        + "client µs = CPU of this load process per committed transaction; writes = journal "
        + "writes (group commits, each fsynced)");
  }
}
