package org.bftlab.sim.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Set;
import org.bftlab.core.model.NodeId;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.byzantine.ByzantineSpec;

/**
 * A Byzantine node in a scenario file, named by {@code strategy} (see {@link ByzantineSpec}).
 * Probabilities are per message sent.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "strategy")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ByzantineEntry.Silent.class, name = "silent"),
    @JsonSubTypes.Type(value = ByzantineEntry.Equivocate.class, name = "equivocate"),
    @JsonSubTypes.Type(value = ByzantineEntry.Mutate.class, name = "mutate"),
    @JsonSubTypes.Type(value = ByzantineEntry.ForgeSignature.class, name = "forge-signature"),
    @JsonSubTypes.Type(value = ByzantineEntry.Replay.class, name = "replay"),
    @JsonSubTypes.Type(value = ByzantineEntry.Twin.class, name = "twin")})
public sealed interface ByzantineEntry {
  /** The Byzantine replica. */
  NodeId node();

  /** The strategy. */
  ByzantineSpec spec();

  /** The node and strategy, for the simulator. */
  default ByzantineNode toNode() {
    return new ByzantineNode(node(), spec());
  }

  /** Sends nothing. */
  record Silent(NodeId node) implements ByzantineEntry {
    public Silent {
      need(node);
    }

    @Override
    public ByzantineSpec spec() {
      return new ByzantineSpec.Silent();
    }
  }

  /** Equivocating primary; {@code variantTo} absent = the upper half of the other replicas. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Equivocate(NodeId node, List<NodeId> variantTo) implements ByzantineEntry {
    public Equivocate {
      need(node);
    }

    @Override
    public ByzantineSpec spec() {
      return new ByzantineSpec.Equivocate(variantTo == null ? Set.of() : Set.copyOf(variantTo));
    }
  }

  /** Small-scope mutations; {@code probability} default 0.3. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Mutate(NodeId node, Double probability) implements ByzantineEntry {
    public Mutate {
      need(node);
    }

    @Override
    public ByzantineSpec spec() {
      return new ByzantineSpec.Mutate(probability == null ? 0.3 : probability);
    }
  }

  /** Random signatures; {@code probability} default 1.0. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ForgeSignature(NodeId node, Double probability) implements ByzantineEntry {
    public ForgeSignature {
      need(node);
    }

    @Override
    public ByzantineSpec spec() {
      return new ByzantineSpec.ForgeSignature(probability == null ? 1.0 : probability);
    }
  }

  /** Replays old messages; defaults: probability 0.3, minAgeTicks 10. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Replay(NodeId node, Double probability, Long minAgeTicks) implements ByzantineEntry {
    public Replay {
      need(node);
    }

    @Override
    public ByzantineSpec spec() {
      return new ByzantineSpec.Replay(probability == null ? 0.3 : probability,
          minAgeTicks == null ? 10 : minAgeTicks);
    }
  }

  /** A twin instance whose side also holds {@code peers}; {@code exclusive} default false. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Twin(NodeId node, List<NodeId> peers, Boolean exclusive) implements ByzantineEntry {
    public Twin {
      need(node);
    }

    @Override
    public ByzantineSpec spec() {
      return new ByzantineSpec.Twin(peers == null ? Set.of() : Set.copyOf(peers),
          Boolean.TRUE.equals(exclusive));
    }
  }

  private static void need(NodeId node) {
    if (node == null) {
      throw new IllegalArgumentException("missing required field 'node'");
    }
  }
}
