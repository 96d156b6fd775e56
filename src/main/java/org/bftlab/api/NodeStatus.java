package org.bftlab.api;

import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * {@code GET /status}.
 *
 * @param nodeId this node
 * @param clusterId cluster id
 * @param view current view v
 * @param primary primary(v) = v mod n
 * @param lastExecutedSeqNo highest seqNo whose batch this node executed (= height)
 * @param height block height of the head (0 before the first block)
 * @param headHash hash of the head block ({@link Digest#ZERO} before the first block)
 * @param lowWatermark h, the last stable checkpoint's seqNo
 * @param highWatermark H = h + L
 * @param lastStableCheckpoint seqNo of the last stable checkpoint (= h)
 * @param viewChangeInProgress true between this node's VIEW-CHANGE and the NEW-VIEW it installs
 * @param pendingView the view being changed to (= view when none is in progress)
 */
public record NodeStatus(NodeId nodeId, String clusterId, long view, NodeId primary,
    long lastExecutedSeqNo, long height, Digest headHash, long lowWatermark, long highWatermark,
    long lastStableCheckpoint, boolean viewChangeInProgress, long pendingView) {}
