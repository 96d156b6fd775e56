package org.bftlab.transport.byzantine;

import java.util.Objects;
import org.bftlab.core.model.NodeId;

/**
 * A node that is Byzantine for a whole run. Counts toward f for the fault-model label.
 *
 * @param node the replica
 * @param spec how it misbehaves
 */
public record ByzantineNode(NodeId node, ByzantineSpec spec) {
  public ByzantineNode {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(spec, "spec");
  }

  /** Trace name, e.g. {@code byzantine:equivocate}. */
  public String label() {
    return "byzantine:" + spec.name();
  }
}
