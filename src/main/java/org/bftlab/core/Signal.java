package org.bftlab.core;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Request;

/**
 * Messages between the sibling components of one node (DESIGN.md §2). They are part of the
 * trace like network messages, and are named in the past tense like events.
 */
public sealed interface Signal {
  /**
   * Agreement → block commit: the batch at {@code seqNo} is committed-local and every lower
   * seqNo has been delivered before it (execution strictly in seqNo order, OSDI'99 §4.2).
   * A batch may be delivered again after a restart; the receiver ignores seqNos it executed.
   */
  record BatchCommitted(long view, long seqNo, Digest digest, List<Request> batch) implements Signal {
    public BatchCommitted {
      Objects.requireNonNull(digest, "digest");
      batch = List.copyOf(batch);
    }
  }

  /** Block commit → agreement, election: the checkpoint at {@code seqNo} became stable (§4.3). */
  record CheckpointStable(long seqNo, Digest digest) implements Signal {}

  /** Election → agreement, block commit: view {@code view} is installed with {@code primary}. */
  record ViewInstalled(long view, NodeId primary) implements Signal {}
}
