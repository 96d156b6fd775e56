package org.bftlab.core.quorum;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Counts votes for values of type {@code K} from voters of type {@code V}; each voter counts
 * once per value however often its vote is delivered (duplicates are idempotent), so a
 * replayed message never grows a quorum.
 *
 * <p>Not thread-safe; owned by one component's state.
 */
public final class VoteTally<K, V> {
  private final Map<K, Set<V>> votes = new HashMap<>();

  /** Records {@code voter}'s vote for {@code key}; returns true if it was new. */
  public boolean add(K key, V voter) {
    return votes.computeIfAbsent(key, k -> new HashSet<>()).add(voter);
  }

  /** Number of distinct voters for {@code key}. */
  public int count(K key) {
    Set<V> s = votes.get(key);
    return s == null ? 0 : s.size();
  }

  /** The distinct voters for {@code key} (read-only view; empty if none). */
  public Set<V> voters(K key) {
    Set<V> s = votes.get(key);
    return s == null ? Set.of() : Collections.unmodifiableSet(s);
  }

  /** A key with at least {@code quorum} distinct voters, if any. */
  public Optional<K> reached(int quorum) {
    return votes.entrySet().stream()
        .filter(e -> e.getValue().size() >= quorum)
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** Forgets every vote for keys matching {@code drop}. */
  public void removeIf(Predicate<K> drop) {
    votes.keySet().removeIf(drop);
  }
}
