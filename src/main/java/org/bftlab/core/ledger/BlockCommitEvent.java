package org.bftlab.core.ledger;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bftlab.core.Event;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.msg.Checkpoint;

/**
 * The events of {@link BlockCommitCore} (DESIGN.md §5: past tense, paper names). All but the
 * {@link Event.Volatile} ones ({@link Rejected}, {@link StateRequested},
 * {@link StateTransferTicked}, {@link StateChunkVerified}) are persisted; replaying them with {@link BlockCommitCore#apply} rebuilds the
 * chain, the world state, the transaction index and the checkpoint log without executing any
 * contract again.
 */
public sealed interface BlockCommitEvent extends Event {

  /**
   * The batch committed at seqNo = {@code block.height()} was executed into {@code block}.
   *
   * @param view the view in which the batch was committed
   * @param block the new head block
   * @param effects {@code effects.get(i)}: transaction i's write set and whether its id is
   *     indexed; same size as the block
   */
  record BlockCommitted(long view, Block block, List<TxEffect> effects)
      implements BlockCommitEvent {
    public BlockCommitted {
      Objects.requireNonNull(block, "block");
      effects = List.copyOf(effects);
      if (effects.size() != block.entries().size()) {
        throw new IllegalArgumentException("one effect per transaction: " + effects.size()
            + " effects, " + block.entries().size() + " transactions");
      }
    }
  }

  /**
   * A snapshot's summary of the chain (never journaled by a step: {@link BlockCommitCore#compact}
   * puts it first in a snapshot, in place of every {@link BlockCommitted}): what the blocks
   * built, while the blocks themselves stay in the {@link BlockStore}.
   *
   * @param view the view as the state knew it
   * @param head the head block's header (the snapshot is taken at height >= 1)
   * @param world every world-state entry with its version, in key order
   * @param txs empty: the transaction index is in the {@link BlockStore}; snapshots written
   *     before it moved there carry it here, and restoring one writes it to the store
   * @param checkpointRoots world-state root at each executed checkpoint above the last stable one
   */
  record LedgerCompacted(long view, BlockHeader head, List<StateEntry> world, List<TxRecord> txs,
      Map<Long, Digest> checkpointRoots) implements BlockCommitEvent {
    public LedgerCompacted {
      Objects.requireNonNull(head, "head");
      world = List.copyOf(world);
      txs = List.copyOf(txs);
      checkpointRoots = java.util.Collections.unmodifiableSortedMap(
          new java.util.TreeMap<>(checkpointRoots));
    }

    @Override
    public String toString() {
      return "ledger compacted at height " + head.height() + " (" + world.size()
          + " state entries" + (txs.isEmpty() ? "" : ", " + txs.size() + " transactions") + ")";
    }
  }

  /**
   * This replica took its checkpoint at {@code own.seqNo()} (OSDI'99 §4.3) and will multicast
   * {@code own}; persisted before it is sent, so a restarted replica never signs two digests
   * for one seqNo.
   *
   * @param own this replica's signed CHECKPOINT ⟨n, d, i⟩
   */
  record CheckpointTaken(Checkpoint own) implements BlockCommitEvent {
    public CheckpointTaken {
      Objects.requireNonNull(own, "own");
    }
  }

  /**
   * Another replica's CHECKPOINT passed the checks (member sender, valid signature, above the
   * last stable checkpoint, within the window) and was logged.
   *
   * @param checkpoint the verified message
   */
  record CheckpointAccepted(Checkpoint checkpoint) implements BlockCommitEvent {
    public CheckpointAccepted {
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /**
   * 2f+1 replicas (this one included) sent matching CHECKPOINTs for (seqNo, digest): the
   * checkpoint is stable, and log entries at or below {@code seqNo} are discarded (§4.3).
   *
   * @param seqNo n
   * @param digest d
   */
  record CheckpointStable(long seqNo, Digest digest) implements BlockCommitEvent {
    public CheckpointStable {
      Objects.requireNonNull(digest, "digest");
    }

    @Override
    public String toString() {
      return "checkpoint " + seqNo + " stable (d=" + digest.shortHex() + ")";
    }
  }

  /**
   * A view was installed (signalled by the election); REPLYs carry it from now on.
   *
   * @param view the new view
   */
  record ViewNoted(long view) implements BlockCommitEvent {}

  /**
   * State transfer (OSDI'99 §4.3, TOCS'02 §5.3) brought this replica from its height to the
   * certified checkpoint {@code seqNo}: the {@link BlockCommitted} events just before this one
   * hold the fetched blocks, each re-executed here and byte-identical to what {@code from}
   * served, and the block hash and world-state root at {@code seqNo} give {@code digest}.
   * Applying it logs {@code proof} so that the {@link CheckpointStable} that follows keeps
   * {@link BlockCommitState#stableCheckpointProof()} a valid certificate.
   *
   * @param seqNo n, the certified checkpoint reached (= the new height)
   * @param digest d = SHA-256(block hash || world-state root) at n
   * @param from the peer that served the last blocks
   * @param proof 2f+1 matching, verified CHECKPOINTs ⟨n, d, i⟩ from distinct replicas
   */
  record StateTransferred(long seqNo, Digest digest, NodeId from, List<Checkpoint> proof)
      implements BlockCommitEvent {
    public StateTransferred {
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(from, "from");
      proof = List.copyOf(proof);
      for (Checkpoint c : proof) {
        if (c.seqNo() != seqNo || !c.digest().equals(digest)) {
          throw new IllegalArgumentException("proof holds " + c + ", not (" + seqNo + ", "
              + digest.shortHex() + ")");
        }
      }
    }
  }

  /**
   * This replica asks {@code peer} for blocks {@code fromHeight..} towards the certified (or
   * announced) checkpoint {@code target}; volatile: after a restart a replica that is still
   * behind starts again from the CHECKPOINTs it receives.
   *
   * @param fromHeight first height asked for (the tip of the chain and verified chunks + 1)
   * @param target seqNo the replica wants to reach (>= fromHeight)
   * @param peer the replica asked, one of {@code candidates}
   * @param candidates the replicas to rotate through on failure or timeout: the certificate's
   *     signers first, then every other replica; never this one
   * @param discardPending true to drop chunks verified so far (after a failed response)
   */
  record StateRequested(long fromHeight, long target, NodeId peer, List<NodeId> candidates,
      boolean discardPending) implements BlockCommitEvent, Event.Volatile {
    public StateRequested {
      Objects.requireNonNull(peer, "peer");
      candidates = List.copyOf(candidates);
      if (fromHeight < 1 || target < fromHeight) {
        throw new IllegalArgumentException("bad range " + fromHeight + ".." + target);
      }
      if (!candidates.contains(peer)) {
        throw new IllegalArgumentException(peer + " is not among the candidates " + candidates);
      }
    }
  }

  /** One tick passed while a state transfer waits for a response; volatile. */
  record StateTransferTicked() implements BlockCommitEvent, Event.Volatile {}

  /** One tick passed (volatile; paces the re-announcement of the stable checkpoint). */
  record Ticked() implements BlockCommitEvent, Event.Volatile {}

  /**
   * A chunk of a state transfer was verified (consecutive, self-consistent, chained to the tip,
   * re-executed byte-identical) but does not yet reach the certified checkpoint, so it is held
   * in memory until a later chunk anchors the whole chain to a certificate; volatile.
   *
   * @param from the serving peer
   * @param blocks the re-executed blocks, lowest first
   * @param effects {@code effects.get(i)}: the effects of {@code blocks.get(i)}
   */
  record StateChunkVerified(NodeId from, List<Block> blocks, List<List<TxEffect>> effects)
      implements BlockCommitEvent, Event.Volatile {
    public StateChunkVerified {
      Objects.requireNonNull(from, "from");
      blocks = List.copyOf(blocks);
      effects = effects.stream().map(List::copyOf).toList();
      if (blocks.size() != effects.size()) {
        throw new IllegalArgumentException("one effect list per block");
      }
    }
  }

  /**
   * A valid CHECKPOINT above the high watermark (not logged) was kept as its sender's highest
   * such one, to be re-examined once a state transfer moves the watermarks (volatile; one per
   * sender).
   */
  record FarCheckpointKept(Checkpoint checkpoint) implements BlockCommitEvent, Event.Volatile {
    public FarCheckpointKept {
      Objects.requireNonNull(checkpoint, "checkpoint");
    }
  }

  /** The kept far CHECKPOINTs were handed back to this component for re-examination (volatile). */
  record FarCheckpointsReleased(long stableSeqNo) implements BlockCommitEvent, Event.Volatile {}

  /**
   * A message was refused; volatile, for the trace only.
   *
   * @param type the message type, e.g. {@code CHECKPOINT}
   * @param from the claimed sender
   * @param reason why it was refused
   */
  record Rejected(String type, NodeId from, String reason)
      implements BlockCommitEvent, Event.Volatile {
    public Rejected {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A member's valid CHECKPOINT at {@code seqNo} carries a digest other than this replica's own
   * checkpoint there (volatile, for the trace and the metrics): either that member is faulty or
   * this replica's state diverged; one alone does not say which (OSDI'99 §4.3).
   *
   * @param checkpoint the member's CHECKPOINT ⟨n, d', j⟩
   * @param own this replica's digest d at n (d ≠ d')
   */
  record CheckpointMismatch(Checkpoint checkpoint, Digest own)
      implements BlockCommitEvent, Event.Volatile {
    public CheckpointMismatch {
      Objects.requireNonNull(checkpoint, "checkpoint");
      Objects.requireNonNull(own, "own");
    }
  }

  /**
   * A safety violation seen from this replica (volatile; the shell logs it at ERROR and counts
   * it in {@code consensus_safety_violations_total}): 2f+1 distinct members certified digest
   * {@code certified} at checkpoint {@code seqNo}, and this replica's own checkpoint there is
   * {@code own} ≠ {@code certified}. With at most f faulty replicas, quorum intersection makes
   * this impossible for a correct replica that executed deterministically (OSDI'99 §4.3, §4.5):
   * this replica's state diverged from the cluster's, or more than f replicas are faulty.
   *
   * @param signers the 2f+1 (or more) members whose CHECKPOINTs certify {@code certified}
   */
  record StateDiverged(long seqNo, Digest own, Digest certified, List<NodeId> signers)
      implements BlockCommitEvent, Event.Volatile {
    public StateDiverged {
      Objects.requireNonNull(own, "own");
      Objects.requireNonNull(certified, "certified");
      signers = List.copyOf(signers);
      if (own.equals(certified)) {
        throw new IllegalArgumentException("no divergence: own digest equals the certified one");
      }
    }
  }

  /** This replica multicast (or sent) its STATUS at tick {@code atTick} (volatile; paces it). */
  record StatusSent(long atTick) implements BlockCommitEvent, Event.Volatile {}

  /**
   * A STATUS from {@code peer} showed it behind this replica and was answered at tick
   * {@code atTick} (volatile; at most one answer per peer per retransmitTicks).
   */
  record StatusAnswered(NodeId peer, long atTick) implements BlockCommitEvent, Event.Volatile {
    public StatusAnswered {
      Objects.requireNonNull(peer, "peer");
    }
  }
}
