package org.bftlab.config;

import com.typesafe.config.Config;
import java.util.List;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;

/**
 * The protocol parameters a configuration sets ({@code bftlab.protocol}); combined with the
 * genesis file's cluster id and replicas they make {@link ProtocolParams}.
 *
 * @param batchSize requests per PRE-PREPARE
 * @param batchTimeoutTicks ticks a partial batch waits for company while the pipeline has room
 *     (adaptive batching, TOCS'02 §5.1; 0 proposes it at once)
 * @param checkpointInterval K
 * @param watermarkWindow L
 * @param retransmitTicks ticks before own messages of a stuck seqNo are re-sent
 * @param maxRequestBytes largest accepted request, canonical bytes
 * @param maxInFlightBatches batches the primary keeps in flight; while that many await
 *     delivery, requests accumulate and the next batch grows
 * @param viewChangeTimeoutTicks T, the view-change timeout; 0 means 4 × retransmitTicks
 * @param checkpointAnnounceTicks period of the stable checkpoint's re-announcement; 0 means 4 ×
 *     retransmitTicks
 * @param stateTransferBatch blocks per STATE-RESPONSE
 */
public record ProtocolTuning(int batchSize, int batchTimeoutTicks, int checkpointInterval,
    int watermarkWindow, int retransmitTicks, int maxRequestBytes, int maxInFlightBatches,
    int viewChangeTimeoutTicks, int checkpointAnnounceTicks, int stateTransferBatch) {

  public ProtocolTuning {
    if (viewChangeTimeoutTicks < 0) {
      throw new IllegalArgumentException("bftlab.protocol.view-change-timeout-ticks must be >= 0 "
          + "(0: 4 × retransmit-ticks), got " + viewChangeTimeoutTicks);
    }
    if (checkpointAnnounceTicks < 0) {
      throw new IllegalArgumentException("bftlab.protocol.checkpoint-announce-ticks must be >= 0 "
          + "(0: 4 × retransmit-ticks), got " + checkpointAnnounceTicks);
    }
    if (stateTransferBatch < 1) {
      throw new IllegalArgumentException("bftlab.protocol.state-transfer-batch must be >= 1, got "
          + stateTransferBatch);
    }
  }

  /** Reads the {@code bftlab.protocol} section. */
  public static ProtocolTuning from(Config c) {
    return new ProtocolTuning(c.getInt("batch-size"), c.getInt("batch-timeout-ticks"),
        c.getInt("checkpoint-interval"), c.getInt("watermark-window"),
        c.getInt("retransmit-ticks"), c.getInt("max-request-bytes"),
        c.getInt("max-in-flight-batches"), c.getInt("view-change-timeout-ticks"),
        c.getInt("checkpoint-announce-ticks"), c.getInt("state-transfer-batch"));
  }

  /**
   * The full parameters for a cluster.
   *
   * @throws IllegalArgumentException when a value is out of range (see {@link ProtocolParams})
   */
  public ProtocolParams toParams(String clusterId, List<NodeId> nodes) {
    return new ProtocolParams(clusterId, nodes, batchSize, batchTimeoutTicks, checkpointInterval,
        watermarkWindow, retransmitTicks, maxRequestBytes, maxInFlightBatches,
        orFourRetransmits(viewChangeTimeoutTicks), orFourRetransmits(checkpointAnnounceTicks),
        stateTransferBatch);
  }

  private int orFourRetransmits(int ticks) {
    return ticks == 0 ? 4 * retransmitTicks : ticks;
  }
}
