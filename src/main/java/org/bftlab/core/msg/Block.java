package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.Digest;

/**
 * A block of the chain: its header and its transactions with their validation codes.
 *
 * @param header the header; {@code header.txCount() == entries.size()}
 * @param entries the transactions in execution order
 */
public record Block(BlockHeader header, List<BlockEntry> entries) {
  public Block {
    Objects.requireNonNull(header, "header");
    entries = List.copyOf(entries);
    if (header.txCount() != entries.size()) {
      throw new IllegalArgumentException("header says " + header.txCount()
          + " transactions, block holds " + entries.size());
    }
  }

  /** Block height. */
  public long height() {
    return header.height();
  }

  /** Block hash (the header's hash). */
  public Digest hash() {
    return header.hash();
  }
}
