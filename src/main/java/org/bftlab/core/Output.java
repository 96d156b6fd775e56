package org.bftlab.core;

import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * What a component asks its shell to do once the decision's events are durable (persist before
 * send, DESIGN.md §1).
 */
public sealed interface Output {
  /** Send {@code message} to replica {@code to} (may be this replica itself). */
  record Send(NodeId to, ProtocolMessage message) implements Output {}

  /** Send {@code message} to every replica except this one. */
  record Multicast(ProtocolMessage message) implements Output {}

  /** Hand {@code signal} to the sibling components of this node. */
  record ToSibling(Signal signal) implements Output {}

  /**
   * Block {@code height} (hash {@code headHash}) is durable at this replica, executed here or
   * installed by state transfer; {@code executed} are the transactions it executed itself, whose
   * REPLYs go to their clients now (OSDI'99 §4.1: a replica replies once it executed the request).
   * The shell signs the block's REPLYs once, here, under one signature for the block
   * ({@code core.msg.Reply#signBlock}), and keeps them for reads and push
   * ({@code node/CommittedIndex}); persist before send holds as for every output.
   *
   * @param view the view the REPLYs carry (max of the commit view and this replica's view)
   * @param height the new head's height (= last executed seqNo)
   * @param headHash the new head's hash
   * @param executed this block's indexed transactions in block order; empty after a transfer
   */
  record Executed(long view, long height, org.bftlab.core.model.Digest headHash,
      java.util.List<org.bftlab.core.msg.TxRecord> executed) implements Output {
    public Executed {
      executed = java.util.List.copyOf(executed);
    }
  }
}
