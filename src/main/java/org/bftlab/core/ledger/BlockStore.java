package org.bftlab.core.ledger;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.TxRecord;

/**
 * Where a replica keeps its chain (issue 9 item 7): blocks by height, outside the component state
 * and its snapshots, the transaction index (txId → {@link TxRecord}, as Fabric's block storage
 * indexes transaction ids next to its blocks), and the certificate of each stable checkpoint
 * (for receipts). Heap use does not grow with the chain. A port of the
 * pure core: {@link InMemoryBlockStore} serves the simulator and tests, the node's LevelDB store
 * ({@code node.LevelDbBlockStore}) lives next to the journal.
 *
 * <p><b>Contract.</b> Only the block-commit component's {@code apply} writes (one thread);
 * reads may come from any thread. {@link #append} is idempotent: re-appending a block already
 * held (journal replay after a restart) changes nothing. A block at a held height with another
 * hash replaces it and drops every block above: those were written before a crash, after the
 * last durable journal write, and nothing that depended on them was acknowledged (the shell
 * persists the journal and only then sends); their index records go with them. A block's
 * records are written with it (the LevelDB store: right after it, in its own database, and it
 * answers only for a transaction that the indexed block's entry holds). The store may hold
 * blocks (and their records) above the component's head after a crash, so readers filter by
 * height ({@code BlockCommitState#tx}). Writes need not be durable one by one: the journal holds
 * each block (in its {@code BlockCommitted} event) until a snapshot drops it, and the
 * component calls {@link #sync()} before that; a restart re-appends the journal's blocks.
 */
public interface BlockStore {
  /**
   * Stores {@code block} at its height.
   *
   * @throws IllegalStateException if its height is above {@link #height()} + 1 (a hole)
   */
  default void append(Block block) {
    append(block, List.of());
  }

  /**
   * Stores {@code block} at its height together with the index records of its transactions
   * (each {@link TxRecord#blockHeight()} equal to the block's height).
   *
   * @throws IllegalStateException if its height is above {@link #height()} + 1 (a hole)
   * @throws IllegalArgumentException if a record names another height
   */
  void append(Block block, List<TxRecord> index);

  /**
   * The index record of {@code txId}, if held: the block and position that hold it and its
   * outcome. May name a block above the component's head (see the class doc).
   */
  Optional<TxRecord> tx(String txId);

  /**
   * Adds index records for blocks already held, as a snapshot written before the index moved
   * into the store carried them (idempotent).
   */
  void index(Collection<TxRecord> records);

  /** The block at {@code height}, if held. */
  Optional<Block> block(long height);

  /** The highest height held; 0 when empty. */
  long height();

  /** Stores the certificate of a stable checkpoint (idempotent). */
  void certify(CheckpointCertificate certificate);

  /** The certificate with the lowest seqNo at or above {@code height}, if any. */
  Optional<CheckpointCertificate> certificateCovering(long height);

  /**
   * Checks that every record of {@code index} names {@code block}'s height (the check {@link
   * #append(Block, List)} makes).
   *
   * @throws IllegalArgumentException naming the first record that does not
   */
  static void requireSameHeight(Block block, List<TxRecord> index) {
    for (TxRecord r : index) {
      if (r.blockHeight() != block.height()) {
        throw new IllegalArgumentException("record of " + r.txId() + " names height "
            + r.blockHeight() + ", not " + block.height());
      }
    }
  }

  /** Makes every write so far durable (before a snapshot drops blocks from the journal). */
  default void sync() {}
}
