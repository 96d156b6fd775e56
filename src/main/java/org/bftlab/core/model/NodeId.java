package org.bftlab.core.model;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A replica's identity: its index {@code i} in the genesis membership, written {@code node-i}.
 * The primary of view {@code v} is the replica with index {@code v mod n} (Castro &amp; Liskov
 * OSDI'99 §4.1).
 *
 * @param index zero-based replica index; must be {@code >= 0}
 */
public record NodeId(int index) implements Comparable<NodeId> {
  public NodeId {
    if (index < 0) {
      throw new IllegalArgumentException("node index must be >= 0, got " + index);
    }
  }

  /**
   * Parses {@code node-i}.
   *
   * @throws IllegalArgumentException if {@code text} is not of the form {@code node-<index>}
   */
  public static NodeId parse(String text) {
    if (text == null || !text.matches("node-\\d{1,6}")) {
      throw new IllegalArgumentException("not a node id (expected node-<index>): " + text);
    }
    return new NodeId(Integer.parseInt(text.substring(5)));
  }

  /** {@code node-0 .. node-(n-1)}. */
  public static List<NodeId> range(int n) {
    return IntStream.range(0, n).mapToObj(NodeId::new).toList();
  }

  @Override
  public int compareTo(NodeId other) {
    return Integer.compare(index, other.index);
  }

  @Override
  public String toString() {
    return "node-" + index;
  }
}
