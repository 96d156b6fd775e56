package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Block;

/**
 * A state transfer in progress (OSDI'99 §4.3): the checkpoint this replica wants to reach, the
 * peer it asked, the peers to rotate through, the ticks waited, and the chunks verified so far
 * that do not yet reach a certified checkpoint. Volatile: part of {@link BlockCommitState} but
 * changed only by volatile events, so a restart forgets it.
 *
 * <p>Memory: the pending chunks hold at most the blocks between this replica's height and the
 * certified checkpoint; they are dropped on success, on failure and whenever the chain grows by
 * normal execution.
 */
public final class TransferProgress {
  private long target;
  private NodeId peer;
  private List<NodeId> candidates;
  private int ticksWaiting;
  private final List<Block> pendingBlocks = new ArrayList<>();
  private final List<List<TxEffect>> pendingEffects = new ArrayList<>();
  private final Set<String> pendingTxIds = new HashSet<>();
  private WorldState pendingWorld;

  TransferProgress(long target, NodeId peer, List<NodeId> candidates) {
    this.target = target;
    this.peer = peer;
    this.candidates = List.copyOf(candidates);
  }

  /** The seqNo this replica wants to reach. */
  public long target() {
    return target;
  }

  /** The replica asked last. */
  public NodeId peer() {
    return peer;
  }

  /** The replicas to rotate through, in order. */
  public List<NodeId> candidates() {
    return candidates;
  }

  /** Ticks since the last request was sent. */
  public int ticksWaiting() {
    return ticksWaiting;
  }

  /** The candidate after {@link #peer()}, cyclically. */
  public NodeId nextPeer() {
    return candidates.get((candidates.indexOf(peer) + 1) % candidates.size());
  }

  /** Verified blocks held until a later chunk reaches a certified checkpoint, lowest first. */
  public List<Block> pendingBlocks() {
    return List.copyOf(pendingBlocks);
  }

  /** {@code pendingEffects().get(i)}: the effects of {@code pendingBlocks().get(i)}. */
  public List<List<TxEffect>> pendingEffects() {
    return List.copyOf(pendingEffects);
  }

  /** Height of the last pending block, or {@code height} when there is none. */
  public long tipHeight(long height) {
    return pendingBlocks.isEmpty() ? height : pendingBlocks.get(pendingBlocks.size() - 1).height();
  }

  /** Hash of the last pending block, or {@code headHash} when there is none. */
  public Digest tipHash(Digest headHash) {
    return pendingBlocks.isEmpty() ? headHash : pendingBlocks.get(pendingBlocks.size() - 1).hash();
  }

  /** True when {@code txId} is indexed by a pending block. */
  boolean pendingHasTx(String txId) {
    return pendingTxIds.contains(txId);
  }

  /** A copy of the world state after the pending blocks; {@code committed} when none. */
  WorldState worldCopy(WorldState committed) {
    return pendingWorld == null ? committed.copy() : pendingWorld.copy();
  }

  // ---- mutators: only BlockCommitState calls these ----

  void request(long newTarget, NodeId newPeer, List<NodeId> newCandidates, boolean discard) {
    target = newTarget;
    peer = newPeer;
    candidates = List.copyOf(newCandidates);
    ticksWaiting = 0;
    if (discard) {
      discardPending();
    }
  }

  void tick() {
    ticksWaiting++;
  }

  void addChunk(List<Block> blocks, List<List<TxEffect>> effects, WorldState committed) {
    if (pendingWorld == null) {
      pendingWorld = committed.copy();
    }
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      List<TxEffect> fx = effects.get(b);
      for (int i = 0; i < fx.size(); i++) {
        pendingWorld.apply(fx.get(i).writes(), new Version(block.height(), i));
        if (fx.get(i).indexed()) {
          pendingTxIds.add(block.entries().get(i).transaction().txId());
        }
      }
      pendingBlocks.add(block);
      pendingEffects.add(fx);
    }
  }

  void discardPending() {
    pendingBlocks.clear();
    pendingEffects.clear();
    pendingTxIds.clear();
    pendingWorld = null;
  }
}
