package org.bftlab.step;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.agreement.LogEntry;
import org.bftlab.core.agreement.Slot;
import org.bftlab.core.election.ElectionState;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.model.Digest;
import org.bftlab.core.quorum.Quorums;

/**
 * What the student sees of one replica, read from its components' public getters.
 *
 * @param node its label
 * @param up false while crashed
 * @param view its current view (agreement's)
 * @param role {@code primary}, {@code backup}, {@code changing view to v} or {@code crashed}
 * @param primary the primary of its view
 * @param h low watermark (last stable checkpoint)
 * @param hHigh high watermark H = h + L
 * @param slots its log slots h+1..H that hold anything, in seqNo order
 * @param stableCheckpoint seqNo of its last stable checkpoint
 * @param height chain height
 * @param head head hash, 8 hex digits
 * @param timer its view-change timer, e.g. {@code "running, expires at tick 12 (now 3)"} or
 *     {@code "stopped"}
 */
public record ReplicaView(String node, boolean up, long view, String role, String primary,
    long h, long hHigh, List<SlotView> slots, long stableCheckpoint, long height, String head,
    String timer) {

  /**
   * One log slot (v, n) in the view it was last pre-prepared or voted in.
   *
   * @param seqNo n
   * @param view v
   * @param phase {@code pre-prepared}, {@code prepared}, {@code committed-local} or {@code votes}
   * @param prepares matching prepares logged, against {@code prepareQuorum} = 2f
   * @param commits matching commits logged, against {@code commitQuorum} = 2f+1
   * @param digest the pre-prepared digest, 8 hex digits ("" if none)
   */
  public record SlotView(long seqNo, long view, String phase, int prepares, int prepareQuorum,
      int commits, int commitQuorum, String digest) {}

  static ReplicaView crashed(String node) {
    return new ReplicaView(node, false, -1, "crashed", "", 0, 0, List.of(), 0, 0, "", "");
  }

  static ReplicaView of(StepReplica r, Quorums q, int n) {
    AgreementState a = r.agreement();
    ElectionState e = r.election();
    BlockCommitState b = r.blockCommit();
    long view = a.view();
    String primary = "node-" + (view % n);
    String role = a.viewChangeInProgress() || e.viewChangeInProgress()
        ? "changing view to " + Math.max(a.viewChangeTarget(), e.pendingView())
        : primary.equals(r.label) ? "primary" : "backup";
    List<SlotView> slots = new ArrayList<>();
    for (Slot s : a.slots()) {
      if (s.seqNo() <= a.lowWatermark()) {
        continue;
      }
      // a committed slot shows the view it committed in; otherwise its latest view
      LogEntry last = s.isCommittedLocal() ? s.entry(s.committedView()).orElse(null) : null;
      for (LogEntry le : s.entries()) {
        if (!s.isCommittedLocal() && (last == null || le.view() >= last.view())) {
          last = le;
        }
      }
      if (last == null) {
        continue;
      }
      Digest d = last.digest().orElse(null);
      String phase = s.isCommittedLocal() ? "committed-local" : last.isPrepared() ? "prepared"
          : last.prePrepare().isPresent() ? "pre-prepared" : "votes";
      int prepares = d == null ? last.prepares().size() : last.matchingPrepares(d);
      int commits = d == null ? last.commits().size() : last.matchingCommits(d);
      slots.add(new SlotView(s.seqNo(), last.view(), phase, prepares, q.prepare(), commits,
          q.commit(), d == null ? "" : d.shortHex()));
    }
    slots.sort(java.util.Comparator.comparingLong(SlotView::seqNo));
    String timer = e.timerRunning()
        ? "running, expires at tick " + e.timerDeadline() + " (now " + e.now() + ")"
        : e.awaitingPeers() ? "off until f+1 peers are heard" : "stopped";
    return new ReplicaView(r.label, true, view, role, primary, a.lowWatermark(),
        a.highWatermark(), List.copyOf(slots), b.lastStableCheckpoint(), b.height(),
        b.headHash().shortHex(), timer);
  }

  /** The slot for {@code seqNo}, if this replica holds one. */
  public java.util.Optional<SlotView> slot(long seqNo) {
    return slots.stream().filter(s -> s.seqNo() == seqNo).findFirst();
  }
}
