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
 * @param batchTimeoutTicks ticks the primary waits to fill a batch
 * @param checkpointInterval K
 * @param watermarkWindow L
 * @param retransmitTicks ticks before own messages of a stuck seqNo are re-sent
 * @param maxRequestBytes largest accepted request, canonical bytes
 * @param maxInFlightBatches batches the primary keeps in flight
 */
public record ProtocolTuning(int batchSize, int batchTimeoutTicks, int checkpointInterval,
    int watermarkWindow, int retransmitTicks, int maxRequestBytes, int maxInFlightBatches) {

  /** Reads the {@code bftlab.protocol} section. */
  public static ProtocolTuning from(Config c) {
    return new ProtocolTuning(c.getInt("batch-size"), c.getInt("batch-timeout-ticks"),
        c.getInt("checkpoint-interval"), c.getInt("watermark-window"),
        c.getInt("retransmit-ticks"), c.getInt("max-request-bytes"),
        c.getInt("max-in-flight-batches"));
  }

  /**
   * The full parameters for a cluster.
   *
   * @throws IllegalArgumentException when a value is out of range (see {@link ProtocolParams})
   */
  public ProtocolParams toParams(String clusterId, List<NodeId> nodes) {
    return new ProtocolParams(clusterId, nodes, batchSize, batchTimeoutTicks, checkpointInterval,
        watermarkWindow, retransmitTicks, maxRequestBytes, maxInFlightBatches);
  }
}
