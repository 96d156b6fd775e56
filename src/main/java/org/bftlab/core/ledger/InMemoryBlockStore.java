package org.bftlab.core.ledger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.TxRecord;

/**
 * A {@link BlockStore} in memory, for the simulator and tests: it survives a simulated crash
 * (the simulator keeps it with the node's journals) and is lost with them ({@link #wipe()},
 * amnesia). Not thread-safe.
 */
public final class InMemoryBlockStore implements BlockStore {
  private final TreeMap<Long, Block> blocks = new TreeMap<>();
  private final TreeMap<Long, CheckpointCertificate> certificates = new TreeMap<>();
  private final Map<String, TxRecord> txs = new HashMap<>();

  @Override
  public void append(Block block, List<TxRecord> index) {
    Objects.requireNonNull(block, "block");
    long h = block.height();
    if (h > height() + 1) {
      throw new IllegalStateException("block " + h + " leaves a hole: the store holds up to "
          + height());
    }
    Block held = blocks.get(h);
    BlockStore.requireSameHeight(block, index);
    if (held != null && held.hash().equals(block.hash())) {
      index(index); // a replay: the records may predate the index (idempotent)
      return;
    }
    for (Block dropped : blocks.tailMap(h, true).values()) {
      for (BlockEntry e : dropped.entries()) {
        TxRecord r = txs.get(e.transaction().txId());
        if (r != null && r.blockHeight() == dropped.height()) {
          txs.remove(r.txId());
        }
      }
    }
    blocks.tailMap(h, true).clear();
    blocks.put(h, block);
    index(index);
  }

  @Override
  public Optional<TxRecord> tx(String txId) {
    return Optional.ofNullable(txs.get(txId));
  }

  @Override
  public void index(Collection<TxRecord> records) {
    for (TxRecord r : records) {
      txs.put(r.txId(), r);
    }
  }

  @Override
  public Optional<Block> block(long height) {
    return Optional.ofNullable(blocks.get(height));
  }

  @Override
  public long height() {
    return blocks.isEmpty() ? 0 : blocks.lastKey();
  }

  @Override
  public void certify(CheckpointCertificate certificate) {
    certificates.put(certificate.seqNo(), certificate);
  }

  @Override
  public Optional<CheckpointCertificate> certificateCovering(long height) {
    Map.Entry<Long, CheckpointCertificate> e = certificates.ceilingEntry(height);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  /** Amnesia: every block, index record and certificate lost. */
  public void wipe() {
    blocks.clear();
    txs.clear();
    certificates.clear();
  }
}
