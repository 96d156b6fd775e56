package org.bftlab.core.model;

import java.util.List;

/**
 * The protocol parameters every replica of one cluster must agree on; read once from the
 * genesis file and configuration, then passed in.
 *
 * @param clusterId bound into every signature so that a message cannot be replayed in another
 *     cluster; 1..64 characters
 * @param nodes the replicas in index order: {@code nodes.get(i).index() == i}; size n = 3f+1 >= 4
 * @param batchSize most requests the primary puts into one PRE-PREPARE (>= 1)
 * @param batchTimeoutTicks ticks a partial batch waits for company while the pipeline of
 *     in-flight batches has room (>= 0; 0 proposes it at once); a full batch goes at once, and
 *     nothing goes while the pipeline is full (adaptive batching, TOCS'02 §5.1)
 * @param checkpointInterval K: a CHECKPOINT is taken every K sequence numbers (>= 1)
 * @param watermarkWindow L: the high watermark is H = h + L (>= K)
 * @param retransmitTicks ticks after which a replica re-sends its own messages for a sequence
 *     number that has not yet become committed-local (>= 1)
 * @param maxRequestBytes largest canonical size of one request, in bytes (>= 256)
 * @param maxInFlightBatches most batches the primary keeps proposed but not yet delivered
 *     (1..L); while the pipeline is full, requests accumulate into larger batches (BFT-SMaRt
 *     runs one consensus instance at a time; TOCS'02 §5.1 batches while the protocol is busy)
 * @param viewChangeTimeoutTicks T, ticks a backup waits for a pending request before it starts
 *     a view change (OSDI'99 §4.4; doubled per view change without progress) (>= 1)
 * @param checkpointAnnounceTicks period, in ticks, at which a replica re-multicasts the
 *     CHECKPOINT of its last stable checkpoint so that a replica that was down learns it is
 *     behind (>= 1)
 * @param stateTransferBatch most blocks in one STATE-RESPONSE (>= 1)
 */
public record ProtocolParams(
    String clusterId,
    List<NodeId> nodes,
    int batchSize,
    int batchTimeoutTicks,
    int checkpointInterval,
    int watermarkWindow,
    int retransmitTicks,
    int maxRequestBytes,
    int maxInFlightBatches,
    int viewChangeTimeoutTicks,
    int checkpointAnnounceTicks,
    int stateTransferBatch) {

  /** Blocks per STATE-RESPONSE by default. */
  public static final int DEFAULT_STATE_TRANSFER_BATCH = 64;

  /**
   * Parameters whose view-change timeout T and checkpoint re-announce period are both
   * 4·retransmitTicks, and whose state transfer sends {@value #DEFAULT_STATE_TRANSFER_BATCH}
   * blocks per response (the defaults).
   */
  public ProtocolParams(String clusterId, List<NodeId> nodes, int batchSize, int batchTimeoutTicks,
      int checkpointInterval, int watermarkWindow, int retransmitTicks, int maxRequestBytes,
      int maxInFlightBatches) {
    this(clusterId, nodes, batchSize, batchTimeoutTicks, checkpointInterval, watermarkWindow,
        retransmitTicks, maxRequestBytes, maxInFlightBatches, 4 * retransmitTicks,
        4 * retransmitTicks, DEFAULT_STATE_TRANSFER_BATCH);
  }

  /** Parameters without an in-flight limit beyond the watermark window (maxInFlightBatches = L). */
  public ProtocolParams(String clusterId, List<NodeId> nodes, int batchSize, int batchTimeoutTicks,
      int checkpointInterval, int watermarkWindow, int retransmitTicks, int maxRequestBytes) {
    this(clusterId, nodes, batchSize, batchTimeoutTicks, checkpointInterval, watermarkWindow,
        retransmitTicks, maxRequestBytes, watermarkWindow);
  }

  public ProtocolParams {
    if (clusterId == null || !clusterId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("cluster id must be 1..64 of [A-Za-z0-9._-]: " + clusterId);
    }
    nodes = List.copyOf(nodes);
    if (nodes.size() < 4 || (nodes.size() - 1) % 3 != 0) {
      throw new IllegalArgumentException(
          "PBFT needs n = 3f+1 >= 4 replicas, got n = " + nodes.size());
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).index() != i) {
        throw new IllegalArgumentException("nodes must be node-0..node-" + (nodes.size() - 1)
            + " in order, found " + nodes.get(i) + " at position " + i);
      }
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    if (batchTimeoutTicks < 0) {
      throw new IllegalArgumentException("batchTimeoutTicks must be >= 0, got " + batchTimeoutTicks);
    }
    if (checkpointInterval < 1) {
      throw new IllegalArgumentException("checkpointInterval K must be >= 1, got " + checkpointInterval);
    }
    if (watermarkWindow < checkpointInterval) {
      throw new IllegalArgumentException("watermarkWindow L must be >= K (" + checkpointInterval
          + "), got " + watermarkWindow);
    }
    if (retransmitTicks < 1) {
      throw new IllegalArgumentException("retransmitTicks must be >= 1, got " + retransmitTicks);
    }
    if (maxRequestBytes < 256) {
      throw new IllegalArgumentException("maxRequestBytes must be >= 256, got " + maxRequestBytes);
    }
    if (maxInFlightBatches < 1 || maxInFlightBatches > watermarkWindow) {
      throw new IllegalArgumentException("maxInFlightBatches must be 1..L (" + watermarkWindow
          + "), got " + maxInFlightBatches);
    }
    if (viewChangeTimeoutTicks < 1) {
      throw new IllegalArgumentException("viewChangeTimeoutTicks T must be >= 1, got "
          + viewChangeTimeoutTicks);
    }
    if (checkpointAnnounceTicks < 1) {
      throw new IllegalArgumentException("checkpointAnnounceTicks must be >= 1, got "
          + checkpointAnnounceTicks);
    }
    if (stateTransferBatch < 1) {
      throw new IllegalArgumentException("stateTransferBatch must be >= 1, got "
          + stateTransferBatch);
    }
  }

  /**
   * Defaults (application.conf's): batch 64, a partial batch proposed at once while the pipeline
   * has room (timeout 0 ticks), K = 16, L = 2K, retransmit 50 ticks, 64 KiB, 1 batch in flight
   * (adaptive batching, issue 9), T = 200 ticks, checkpoint re-announce every 200 ticks, 64
   * blocks per state response.
   */
  public static ProtocolParams defaults(String clusterId, int n) {
    return new ProtocolParams(clusterId, NodeId.range(n), 64, 0, 16, 32, 50, 64 * 1024, 1);
  }

  /** n, the number of replicas. */
  public int n() {
    return nodes.size();
  }

  /** f = (n - 1) / 3, the number of faulty replicas tolerated. */
  public int f() {
    return (nodes.size() - 1) / 3;
  }

  /** The primary of view {@code v}: replica {@code v mod n} (OSDI'99 §4.1). */
  public NodeId primary(long view) {
    return nodes.get((int) Math.floorMod(view, (long) nodes.size()));
  }

  /** True when {@code node} is one of this cluster's replicas. */
  public boolean isMember(NodeId node) {
    return node != null && node.index() < nodes.size();
  }
}
