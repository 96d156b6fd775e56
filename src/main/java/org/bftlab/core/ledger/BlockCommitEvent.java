package org.bftlab.core.ledger;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.Event;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;

/**
 * The events of {@link BlockCommitCore} (DESIGN.md §5: past tense, paper names). All but
 * {@link Rejected} are persisted; replaying them with {@link BlockCommitCore#apply} rebuilds the
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
  }

  /**
   * A view was installed (signalled by the election); REPLYs carry it from now on.
   *
   * @param view the new view
   */
  record ViewNoted(long view) implements BlockCommitEvent {}

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
}
