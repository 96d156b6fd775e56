package org.bftlab.core.ledger;

import org.bftlab.core.msg.MerkleTree;
import java.util.List;
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
 * <p>{@link #root()} is a bucket tree, as Fabric v0.6's PBFT ledger kept its state hash
 * ({@code buckettree}): every entry falls in one of {@link #BUCKETS} buckets by the first bytes
 * of SHA-256 of its key; a bucket's digest is SHA-256 over its entries' leaf digests in {@link
 * StateKey} order (each leaf SHA-256 of the entry's canonical bytes: contract, key, value,
 * version); the root is the RFC 6962 {@link MerkleTree} root over the {@link #BUCKETS} bucket
 * digests ({@link Digest#ZERO} for an empty bucket), and {@link Digest#ZERO} for an empty state.
 * Two replicas that applied the same blocks have the same root.
 *
 * <p>Why buckets (issue 9): a root over every entry cost O(entries) hashes at each checkpoint
 * (12.9 % of a replica's CPU samples after a few minutes of load, growing with the state). Now
 * a write hashes its entry once, and {@link #root()} re-hashes only the buckets written since
 * the last root and their {@code log2(BUCKETS)} tree paths. Mutable and not thread-safe: owned
 * by one component state.
 */
public final class WorldState implements StateView {
  /** Number of buckets of the root's bucket tree: 2^10 (a perfect RFC 6962 tree). */
  public static final int BUCKETS = 1024;

  private final TreeMap<StateKey, StateEntry> entries;
  /**
   * Derived from {@code entries} ({@code transient}: state fingerprints ignore them): each
   * bucket's leaf digests by key, the bucket digests' leaf hashes and the tree above them
   * (index 1 is the root, i's children are 2i and 2i+1, leaf b is at BUCKETS + b; null until
   * first needed), and the buckets written since.
   */
  private final transient TreeMap<StateKey, Digest>[] buckets;
  private transient Digest[] tree;
  private final transient java.util.BitSet dirty = new java.util.BitSet(BUCKETS);

  /** An empty world state. */
  public WorldState() {
    this(new TreeMap<>(), newBuckets());
  }

  private WorldState(TreeMap<StateKey, StateEntry> entries, TreeMap<StateKey, Digest>[] buckets) {
    this.entries = entries;
    this.buckets = buckets;
  }

  @SuppressWarnings("unchecked")
  private static TreeMap<StateKey, Digest>[] newBuckets() {
    return (TreeMap<StateKey, Digest>[]) new TreeMap<?, ?>[BUCKETS];
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
      int b = bucketOf(k);
      if (w.kind() == Write.Kind.PUT) {
        StateEntry e = new StateEntry(w.contract(), w.key(), w.value(), version);
        entries.put(k, e);
        if (buckets[b] == null) {
          buckets[b] = new TreeMap<>();
        }
        buckets[b].put(k, entryDigest(e));
        dirty.set(b);
      } else if (entries.remove(k) != null) {
        buckets[b].remove(k);
        dirty.set(b);
      }
    }
  }

  /** The deterministic root (see the class doc); {@link Digest#ZERO} when empty. */
  public Digest root() {
    if (entries.isEmpty()) {
      return Digest.ZERO;
    }
    if (tree == null) {
      tree = new Digest[2 * BUCKETS];
      for (int b = 0; b < BUCKETS; b++) {
        tree[BUCKETS + b] = MerkleTree.leafHash(bucketDigest(b));
      }
      for (int i = BUCKETS - 1; i >= 1; i--) {
        tree[i] = MerkleTree.nodeHash(tree[2 * i], tree[2 * i + 1]);
      }
      dirty.clear();
    }
    // the dirty leaves, then every inner node on their paths, children before parents
    java.util.BitSet stale = new java.util.BitSet(BUCKETS);
    for (int b = dirty.nextSetBit(0); b >= 0; b = dirty.nextSetBit(b + 1)) {
      tree[BUCKETS + b] = MerkleTree.leafHash(bucketDigest(b));
      for (int i = (BUCKETS + b) / 2; i >= 1 && !stale.get(i); i /= 2) {
        stale.set(i);
      }
    }
    for (int i = stale.previousSetBit(BUCKETS - 1); i >= 1; i = stale.previousSetBit(i - 1)) {
      tree[i] = MerkleTree.nodeHash(tree[2 * i], tree[2 * i + 1]);
    }
    dirty.clear();
    return tree[1];
  }

  /** The digest of bucket {@code b}: SHA-256 of its leaf digests in key order; ZERO if empty. */
  private Digest bucketDigest(int b) {
    TreeMap<StateKey, Digest> bucket = buckets[b];
    if (bucket == null || bucket.isEmpty()) {
      return Digest.ZERO;
    }
    return Digest.sha256(bucket.values().toArray(new Digest[0]));
  }

  /** The bucket of {@code k}: the first two bytes of SHA-256(contract/key), mod {@link #BUCKETS}. */
  static int bucketOf(StateKey k) {
    byte[] h = Canonical.bare("STATE-KEY").str(k.contract()).str(k.key()).toBytes();
    byte[] d = Digest.sha256(h).bytes();
    return ((d[0] & 0xff) << 8 | (d[1] & 0xff)) % BUCKETS;
  }

  /** A deep, independent copy (entries are immutable records, digests immutable values). */
  public WorldState copy() {
    TreeMap<StateKey, Digest>[] b = newBuckets();
    for (int i = 0; i < BUCKETS; i++) {
      if (buckets[i] != null) {
        b[i] = new TreeMap<>(buckets[i]);
      }
    }
    WorldState c = new WorldState(new TreeMap<>(entries), b);
    c.tree = tree == null ? null : tree.clone();
    c.dirty.or(dirty);
    return c;
  }

  /** SHA-256 of one entry's canonical bytes: a leaf of its bucket. */
  public static Digest entryDigest(StateEntry e) {
    return Digest.sha256(Canonical.bare("STATE-ENTRY").str(e.contract()).str(e.key())
        .str(e.value()).i64(e.version().blockHeight()).i32(e.version().txIndex()).toBytes());
  }
}
