package org.bftlab.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured window of {@code bftlab bench}.
 *
 * @param index 1-based window number
 * @param seconds window length, in seconds (measured)
 * @param committed transactions confirmed by f+1 matching replies in the window
 * @param failed transactions that timed out or failed in the window
 * @param throughput committed per second
 * @param p50Ms median latency, submission to f+1 confirmation, in milliseconds
 * @param p90Ms 90th percentile latency, ms
 * @param p99Ms 99th percentile latency, ms
 * @param maxMs largest latency, ms
 * @param replicaCpuMicrosPerTx CPU time of all replica processes together per committed
 *     transaction, in microseconds ({@code /proc/<pid>/stat}, 10 ms resolution)
 * @param clientCpuMicrosPerTx CPU time of the load process per committed transaction, µs
 * @param txPerBlock committed transactions per block (node-0's height growth)
 * @param httpRequestsPerTx HTTP requests the clients sent per committed transaction
 * @param storageBytesPerTxPerNode bytes written to storage per committed transaction, per
 *     replica on average ({@code /proc/<pid>/io} {@code write_bytes}: journal, snapshots, logs)
 * @param liveHeapMb each replica's live heap at the window's end, MiB: its heap after a full
 *     collection the bench forces then ({@code jcmd <pid> GC.run}, serial collector; the pause
 *     falls between this window and the next); −1 when it could not be forced
 * @param signaturesPerTx Ed25519 signatures made by all replicas together per committed
 *     transaction ({@code GET /metrics}; −1 when the replicas do not report it)
 * @param replicaVerificationsPerTx replica-signature verifications, all replicas, per tx
 * @param clientVerificationsPerTx client-signature verifications, all replicas, per tx
 * @param journalWritesPerTx journal writes (each one fsync with {@code bftlab.journal.fsync}; a
 *     group commit of one component's round) of all replicas together per committed transaction
 *     ({@code journal_persist_seconds_count}; −1 when not reported)
 * @param fileBytesPerTxPerNode bytes written into the files of each kind of a replica's data
 *     directory per committed transaction, per replica on average, by kind in this order:
 *     {@code journal} (the LevelDB journal: write-ahead log, flushes, compactions), {@code blocks}
 *     and {@code index} (the block store's two LevelDBs), {@code snapshots}; sampled from the
 *     directories ({@link org.bftlab.lab.FileWrites}: within ~10 % over a busy window, in
 *     LevelDB's {@code mmap} steps of up to 1 MiB in a slow one; without the file system's own
 *     rewrites that {@code storageBytesPerTxPerNode} includes)
 */
public record BenchWindow(int index, double seconds, long committed, long failed,
    double throughput, double p50Ms, double p90Ms, double p99Ms, double maxMs,
    double replicaCpuMicrosPerTx, double clientCpuMicrosPerTx, double txPerBlock,
    double httpRequestsPerTx, double storageBytesPerTxPerNode, List<Double> liveHeapMb,
    double signaturesPerTx, double replicaVerificationsPerTx, double clientVerificationsPerTx,
    double journalWritesPerTx, Map<String, Double> fileBytesPerTxPerNode) {
  public BenchWindow {
    liveHeapMb = List.copyOf(liveHeapMb);
    fileBytesPerTxPerNode = Collections.unmodifiableMap(new LinkedHashMap<>(fileBytesPerTxPerNode));
  }
}
