package org.bftlab.core.quorum;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The client's reply rule (Castro &amp; Liskov OSDI'99 §4.1): "the client waits for f+1 replies
 * with valid signatures from different replicas, and with the same t and r" — at least one of
 * f+1 replicas is correct, so an outcome that many report identically is the committed one.
 *
 * <p>Shape: each voter (a replica) counts once, with its first reply only — a replica that
 * changes its story, or whose reply is delivered twice, cannot grow a certificate (the counting
 * is {@link VoteTally}'s). Once an outcome has f+1 distinct voters it is certified and stays so.
 * Checking signatures is the caller's job: only verified replies may be added.
 *
 * <p>Not thread-safe; used by the real client (under its lock) and the simulator's clients.
 *
 * @param <O> what replies must match on (e.g. block height, validation code and result)
 * @param <V> who replies (e.g. the replica's id); equal voters are one voter
 */
public final class ReplyCertificate<O, V> {
  private final int needed;
  private final VoteTally<O, V> tally = new VoteTally<>();
  private final Map<V, O> firstReplies = new LinkedHashMap<>();
  private O certified;

  /**
   * @param f faulty replicas tolerated (>= 0): an outcome needs f+1 matching replies
   * @throws IllegalArgumentException when f is negative
   */
  public ReplyCertificate(int f) {
    if (f < 0) {
      throw new IllegalArgumentException("f must be >= 0, got " + f);
    }
    this.needed = f + 1;
  }

  /** f+1, the matching replies an outcome needs. */
  public int needed() {
    return needed;
  }

  /**
   * Records {@code voter}'s (verified) reply {@code outcome}; a voter's later replies are ignored.
   *
   * @return the certified outcome, once there is one (possibly certified by an earlier reply)
   */
  public Optional<O> add(V voter, O outcome) {
    Objects.requireNonNull(voter, "voter");
    Objects.requireNonNull(outcome, "outcome");
    if (firstReplies.putIfAbsent(voter, outcome) == null) {
      tally.add(outcome, voter);
      if (certified == null && tally.count(outcome) >= needed) {
        certified = outcome;
      }
    }
    return certified();
  }

  /** The outcome f+1 distinct voters reported, if any yet. */
  public Optional<O> certified() {
    return Optional.ofNullable(certified);
  }

  /** Whether {@code voter} has replied. */
  public boolean hasReplied(V voter) {
    return firstReplies.containsKey(voter);
  }

  /** The voters that reported {@code outcome}, in the order their replies arrived. */
  public Set<V> voters(O outcome) {
    Set<V> voters = new LinkedHashSet<>();
    firstReplies.forEach((v, o) -> {
      if (o.equals(outcome)) {
        voters.add(v);
      }
    });
    return voters;
  }

  /** Each voter's first reply, in arrival order (read-only). */
  public Map<V, O> replies() {
    return Collections.unmodifiableMap(firstReplies);
  }

  /** The most matching replies any one outcome has so far (0 before the first reply). */
  public int best() {
    return firstReplies.values().stream().distinct().mapToInt(tally::count).max().orElse(0);
  }
}
