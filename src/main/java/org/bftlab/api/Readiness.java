package org.bftlab.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.NodeId;

/**
 * {@code GET /ready}: whether this replica has joined and caught up — 200 when {@code ready},
 * 503 otherwise, with every reason it is not in {@code reasons}. Kubernetes' readiness probe:
 * a rolling restart takes the next replica down only once this one is ready again.
 *
 * <p>Ready means all of (see {@link #evaluate}):
 * <ol>
 *   <li>the journal is replayed (every component recovered);
 *   <li>this node is an {@code Up} member of the Pekko cluster that carries the messages;
 *   <li>it is in the cluster's current view: no view change in progress here, and its view is
 *       at least the view f+1 peers report (f+1 answers include a correct replica's);
 *   <li>it is caught up: its executed seqNo is within one checkpoint interval K of the stable
 *       checkpoint f+1 peers have reached (the (f+1)-th highest peer stable checkpoint; OSDI'99
 *       §4.3), so at most K + (what is in flight) behind.
 * </ol>
 *
 * @param ready true iff {@code reasons} is empty
 * @param nodeId this node
 * @param view this node's view
 * @param lastExecutedSeqNo highest seqNo this node executed (= block height)
 * @param peersView the view f+1 peers are at least in; -1 when fewer than f+1 peers answered
 * @param peersStableCheckpoint the stable checkpoint f+1 peers have reached; -1 when unknown
 * @param checkpointInterval K
 * @param peersAnswered how many of the n−1 peers answered their status
 * @param reasons why this node is not ready, one sentence each; empty when ready
 */
public record Readiness(boolean ready, NodeId nodeId, long view, long lastExecutedSeqNo,
    long peersView, long peersStableCheckpoint, int checkpointInterval, int peersAnswered,
    List<String> reasons) {

  public Readiness {
    Objects.requireNonNull(nodeId, "nodeId");
    reasons = List.copyOf(reasons);
    if (ready != reasons.isEmpty()) {
      throw new IllegalArgumentException("ready must be true iff there is no reason: " + reasons);
    }
  }

  /** Not ready for one reason, nothing else known (e.g. the node did not answer). */
  public static Readiness notReady(NodeId nodeId, String reason) {
    return new Readiness(false, nodeId, -1, -1, -1, -1, 0, 0, List.of(reason));
  }

  /**
   * What a peer reported in its {@code GET /status}.
   *
   * @param nodeId the peer
   * @param view its current view
   * @param lastStableCheckpoint its last stable checkpoint (its low watermark h)
   */
  public record PeerView(NodeId nodeId, long view, long lastStableCheckpoint) {}

  /**
   * Decides readiness from what this node knows of itself and what its peers reported. Pure.
   *
   * @param f faults tolerated (n = 3f+1)
   * @param checkpointInterval K, > 0
   * @param recovered every component has replayed its journal
   * @param memberStatus this node's Pekko cluster member status ({@code Up} is joined)
   * @param self this node's status
   * @param peers the answers of the peers that answered (this node excluded)
   */
  public static Readiness evaluate(int f, int checkpointInterval, boolean recovered,
      String memberStatus, NodeStatus self, List<PeerView> peers) {
    if (f < 1 || checkpointInterval < 1) {
      throw new IllegalArgumentException("need f >= 1 and K >= 1, got f=" + f + " K="
          + checkpointInterval);
    }
    List<String> reasons = new ArrayList<>();
    if (!recovered) {
      reasons.add("the journal is not replayed yet");
    }
    if (!"Up".equals(memberStatus)) {
      reasons.add("not an Up member of the Pekko cluster (member status: " + memberStatus + ")");
    }
    if (self.viewChangeInProgress()) {
      reasons.add("view change from view " + self.view() + " to view " + self.pendingView()
          + " in progress");
    }
    long peersView = -1;
    long target = -1;
    if (peers.size() < f + 1) {
      reasons.add("only " + peers.size() + " peer(s) answered their status; f+1 = " + (f + 1)
          + " are needed to know the cluster's view and stable checkpoint");
    } else {
      peersView = kthHighest(peers.stream().map(PeerView::view).toList(), f + 1);
      target = kthHighest(peers.stream().map(PeerView::lastStableCheckpoint).toList(), f + 1);
      if (self.view() < peersView) {
        reasons.add("in view " + self.view() + " but f+1 peers are in view " + peersView
            + " or later");
      }
      if (self.lastExecutedSeqNo() + checkpointInterval < target) {
        reasons.add("catching up: executed seqNo " + self.lastExecutedSeqNo()
            + " is more than one checkpoint interval (K = " + checkpointInterval
            + ") behind seqNo " + target + ", the stable checkpoint f+1 peers have reached");
      }
    }
    return new Readiness(reasons.isEmpty(), self.nodeId(), self.view(),
        self.lastExecutedSeqNo(), peersView, target, checkpointInterval, peers.size(), reasons);
  }

  /** The k-th highest value (k >= 1, values.size() >= k). */
  static long kthHighest(List<Long> values, int k) {
    return values.stream().sorted(Comparator.reverseOrder()).skip(k - 1L).findFirst()
        .orElseThrow();
  }
}
