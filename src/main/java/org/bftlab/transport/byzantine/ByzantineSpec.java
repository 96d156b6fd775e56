package org.bftlab.transport.byzantine;

import java.util.Set;
import org.bftlab.core.model.NodeId;

/**
 * How one node misbehaves: the configuration a scenario file names, from which a fresh
 * {@link ByzantineStrategy} is made per run. Probabilities are per message sent, in [0, 1].
 */
public sealed interface ByzantineSpec {
  /** The name used in scenario files and traces, e.g. {@code equivocate}. */
  String name();

  /** A fresh strategy instance (its own state) for one node in one run. */
  ByzantineStrategy strategy();

  /** Sends nothing: a primary that never proposes, a backup that never votes. */
  record Silent() implements ByzantineSpec {
    @Override
    public String name() {
      return "silent";
    }

    @Override
    public ByzantineStrategy strategy() {
      return new Strategies.Silent();
    }
  }

  /**
   * Equivocating primary: different PRE-PREPAREs (different batches and digests) for the same
   * (v, n) to the two sides.
   *
   * @param variantTo the replicas that get the variant; empty = the upper half of the others
   */
  record Equivocate(Set<NodeId> variantTo) implements ByzantineSpec {
    public Equivocate {
      variantTo = Set.copyOf(variantTo);
    }

    @Override
    public String name() {
      return "equivocate";
    }

    @Override
    public ByzantineStrategy strategy() {
      return new Equivocator(variantTo);
    }
  }

  /** Small-scope mutations (view ± 1, seqNo ± 1, digest, omission), re-signed. */
  record Mutate(double probability) implements ByzantineSpec {
    public Mutate {
      checkProbability(probability);
    }

    @Override
    public String name() {
      return "mutate";
    }

    @Override
    public ByzantineStrategy strategy() {
      return new Mutator(probability);
    }
  }

  /** Random bytes instead of the signature. */
  record ForgeSignature(double probability) implements ByzantineSpec {
    public ForgeSignature {
      checkProbability(probability);
    }

    @Override
    public String name() {
      return "forge-signature";
    }

    @Override
    public ByzantineStrategy strategy() {
      return new Strategies.Forger(probability);
    }
  }

  /** Re-sends, with {@code probability} per send, a message sent {@code minAgeTicks} or more ago. */
  record Replay(double probability, long minAgeTicks) implements ByzantineSpec {
    public Replay {
      checkProbability(probability);
      if (minAgeTicks < 0) {
        throw new IllegalArgumentException("minAgeTicks must be >= 0, got " + minAgeTicks);
      }
    }

    @Override
    public String name() {
      return "replay";
    }

    @Override
    public ByzantineStrategy strategy() {
      return new Strategies.Replayer(probability, minAgeTicks);
    }
  }

  /**
   * Twins (Bano et al., 2020): a second instance of the node with the same identity and key,
   * each instance running the correct code. The original and the twin form two sides: twinned
   * identities receive from the instances of their own side; the twin's side also holds the
   * non-twinned replicas of {@code peers}. With {@code exclusive}, every replica hears only its
   * own side (a full partition of the instances); otherwise the non-twinned replicas hear both
   * instances. Only the simulator runs twins; on a live cluster start a second process with the
   * same key. Both instances send unchanged messages.
   *
   * @param peers the non-twinned replicas on the twin's side
   * @param exclusive whether the two sides are fully partitioned
   */
  record Twin(Set<NodeId> peers, boolean exclusive)
      implements ByzantineSpec {
    public Twin {
      peers = Set.copyOf(peers);
    }

    @Override
    public String name() {
      return "twin";
    }

    @Override
    public ByzantineStrategy strategy() {
      return new Strategies.Honest();
    }
  }

  private static void checkProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
    }
  }
}
