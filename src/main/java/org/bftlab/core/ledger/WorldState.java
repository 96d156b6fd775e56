package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Canonical;

/**
 * The world state: a versioned key-value store keyed by (contract namespace, key) and holding
 * (value, {@link Version}), as Fabric's state database. Only {@link #apply} changes it, and only
 * the block-commit component's {@code apply} calls it.
 *
 * <p>{@link #root()} is a Merkle root ({@link MerkleTree}) over the entries in {@link StateKey}
 * order, each leaf being SHA-256 of the entry's canonical bytes (contract, key, value, version),
 * so two replicas that applied the same blocks have the same root. Mutable and not thread-safe:
 * owned by one component state. The root is cached until the next write.
 */
public final class WorldState implements StateView {
  private final TreeMap<StateKey, StateEntry> entries;
  /** Derived from {@code entries}; {@code transient} so that state fingerprints ignore it. */
  private transient Digest cachedRoot;

  /** An empty world state. */
  public WorldState() {
    this(new TreeMap<>());
  }

  private WorldState(TreeMap<StateKey, StateEntry> entries) {
    this.entries = entries;
  }

  /** The entry at {@code contract/key}, if present. */
  public Optional<StateEntry> get(String contract, String key) {
    return Optional.ofNullable(entries.get(new StateKey(contract, key)));
  }

  @Override
  public Optional<String> value(String contract, String key) {
    return get(contract, key).map(StateEntry::value);
  }

  @Override
  public Optional<Version> version(String contract, String key) {
    return get(contract, key).map(StateEntry::version);
  }

  /** Number of entries. */
  public int size() {
    return entries.size();
  }

  /** Every entry in {@link StateKey} order (a copy). */
  public List<StateEntry> entries() {
    return List.copyOf(entries.values());
  }

  /**
   * Applies {@code writes} in order: a put stores (value, {@code version}); a delete removes the
   * key (a delete of an absent key does nothing).
   */
  public void apply(WriteSet writes, Version version) {
    Objects.requireNonNull(version, "version");
    for (Write w : writes.writes()) {
      StateKey k = w.stateKey();
      if (w.kind() == Write.Kind.PUT) {
        entries.put(k, new StateEntry(w.contract(), w.key(), w.value(), version));
      } else {
        entries.remove(k);
      }
    }
    if (!writes.writes().isEmpty()) {
      cachedRoot = null;
    }
  }

  /** The deterministic root over every entry; {@link Digest#ZERO} when empty. */
  public Digest root() {
    if (cachedRoot == null) {
      List<Digest> leaves = new ArrayList<>(entries.size());
      for (Map.Entry<StateKey, StateEntry> e : entries.entrySet()) {
        leaves.add(entryDigest(e.getValue()));
      }
      cachedRoot = MerkleTree.rootOf(leaves);
    }
    return cachedRoot;
  }

  /** A deep, independent copy (entries are immutable records). */
  public WorldState copy() {
    WorldState c = new WorldState(new TreeMap<>(entries));
    c.cachedRoot = cachedRoot;
    return c;
  }

  /** SHA-256 of one entry's canonical bytes: the leaf of {@link #root()}. */
  public static Digest entryDigest(StateEntry e) {
    return Digest.sha256(Canonical.bare("STATE-ENTRY").str(e.contract()).str(e.key())
        .str(e.value()).i64(e.version().blockHeight()).i32(e.version().txIndex()).toBytes());
  }
}
