package org.bftlab.core.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.msg.Block;

/**
 * A {@link BlockStore} in memory, for the simulator and tests: it survives a simulated crash
 * (the simulator keeps it with the node's journals) and is lost with them ({@link #wipe()},
 * amnesia). Not thread-safe.
 */
public final class InMemoryBlockStore implements BlockStore {
  private final TreeMap<Long, Block> blocks = new TreeMap<>();
  private final TreeMap<Long, CheckpointCertificate> certificates = new TreeMap<>();

  @Override
  public void append(Block block) {
    Objects.requireNonNull(block, "block");
    long h = block.height();
    if (h > height() + 1) {
      throw new IllegalStateException("block " + h + " leaves a hole: the store holds up to "
          + height());
    }
    Block held = blocks.get(h);
    if (held != null && held.hash().equals(block.hash())) {
      return;
    }
    blocks.tailMap(h, true).clear();
    blocks.put(h, block);
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

  /** Amnesia: every block and certificate lost. */
  public void wipe() {
    blocks.clear();
    certificates.clear();
  }
}
