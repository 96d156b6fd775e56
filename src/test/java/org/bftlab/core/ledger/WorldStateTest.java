package org.bftlab.core.ledger;

import org.bftlab.core.msg.MerkleTree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bftlab.core.model.Digest;
import org.junit.jupiter.api.Test;

class WorldStateTest {

  @Test
  void emptyStateHasZeroRoot() {
    assertThat(new WorldState().root()).isEqualTo(Digest.ZERO);
  }

  @Test
  void putGetDeleteWithVersions() {
    // Fabric versioned KV store: each entry carries the (height, txIndex) that last wrote it
    WorldState w = new WorldState();
    w.apply(WriteSet.of(Write.put("kv", "a", "1")), new Version(1, 0));
    assertThat(w.get("kv", "a")).contains(new StateEntry("kv", "a", "1", new Version(1, 0)));
    w.apply(WriteSet.of(Write.put("kv", "a", "2")), new Version(2, 3));
    assertThat(w.get("kv", "a").orElseThrow().version()).isEqualTo(new Version(2, 3));
    assertThat(w.value("kv", "a")).contains("2");
    assertThat(w.get("token", "a")).isEmpty(); // namespaces are separate
    w.apply(WriteSet.of(Write.delete("kv", "a")), new Version(3, 0));
    assertThat(w.get("kv", "a")).isEmpty();
    w.apply(WriteSet.of(Write.delete("kv", "never")), new Version(3, 1)); // no-op
    assertThat(w.size()).isZero();
    assertThat(w.root()).isEqualTo(Digest.ZERO);
  }

  @Test
  void rootIsIndependentOfInsertionOrder() {
    // determinism: replicas that reach the same entries reach the same root
    List<Write> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(Write.put(i % 2 == 0 ? "kv" : "token", "k" + i, "v" + i));
    }
    WorldState a = new WorldState();
    for (Write wr : writes) {
      a.apply(WriteSet.of(wr), new Version(1, 0));
    }
    List<Write> shuffled = new ArrayList<>(writes);
    Collections.shuffle(shuffled, new Random(7));
    WorldState b = new WorldState();
    for (Write wr : shuffled) {
      b.apply(WriteSet.of(wr), new Version(1, 0));
    }
    assertThat(b.root()).isEqualTo(a.root());
    assertThat(b.entries()).isEqualTo(a.entries());
  }

  @Test
  void rootChangesWithValueKeyNamespaceAndVersion() {
    Digest base = single("kv", "a", "1", new Version(1, 0));
    assertThat(single("kv", "a", "2", new Version(1, 0))).isNotEqualTo(base);
    assertThat(single("kv", "b", "1", new Version(1, 0))).isNotEqualTo(base);
    assertThat(single("token", "a", "1", new Version(1, 0))).isNotEqualTo(base);
    assertThat(single("kv", "a", "1", new Version(1, 1))).isNotEqualTo(base);
    assertThat(single("kv", "a", "1", new Version(1, 0))).isEqualTo(base);
  }

  @Test
  void copyIsIndependentAndRootCacheIsInvalidated() {
    WorldState w = new WorldState();
    w.apply(WriteSet.of(Write.put("kv", "a", "1")), new Version(1, 0));
    Digest r1 = w.root();
    WorldState c = w.copy();
    c.apply(WriteSet.of(Write.put("kv", "b", "2")), new Version(2, 0));
    assertThat(w.root()).isEqualTo(r1);
    assertThat(w.get("kv", "b")).isEmpty();
    assertThat(c.root()).isNotEqualTo(r1);
    w.apply(WriteSet.of(Write.put("kv", "b", "2")), new Version(2, 0));
    assertThat(w.root()).isEqualTo(c.root());
  }

  @Test
  void pendingStateOverlaysWithoutChangingTheBase() {
    WorldState w = new WorldState();
    w.apply(WriteSet.of(Write.put("kv", "a", "1"), Write.put("kv", "b", "2")), new Version(1, 0));
    PendingState p = new PendingState(w);
    p.stage(WriteSet.of(Write.put("kv", "a", "9"), Write.delete("kv", "b"),
        Write.put("kv", "c", "3")), new Version(2, 4));
    assertThat(p.value("kv", "a")).contains("9");
    assertThat(p.version("kv", "a")).contains(new Version(2, 4));
    assertThat(p.version("kv", "b")).isEmpty();
    assertThat(w.version("kv", "b")).contains(new Version(1, 0));
    assertThat(p.value("kv", "b")).isEmpty();
    assertThat(p.value("kv", "c")).contains("3");
    assertThat(w.value("kv", "a")).contains("1");
    assertThat(w.value("kv", "b")).contains("2");
    assertThat(w.value("kv", "c")).isEmpty();
  }

  /**
   * The incremental root (only written buckets and their tree paths re-hashed) always equals
   * the bucket tree computed from scratch: RFC 6962 over the {@code BUCKETS} bucket digests, each
   * SHA-256 over its entries' leaf digests in key order. Random puts and deletes, roots taken at
   * random points, copies taken and diverged. Seeded; the seed is printed.
   */
  @Test
  void incrementalRootEqualsTheBucketTreeFromScratch() {
    long seed = new Random().nextLong();
    System.out.println("WorldStateTest seed " + seed);
    Random rnd = new Random(seed);
    WorldState w = new WorldState();
    WorldState copy = null;
    for (int step = 0; step < 3000; step++) {
      String key = "k" + rnd.nextInt(400);
      String ns = rnd.nextBoolean() ? "kv" : "token";
      Write write = rnd.nextInt(4) == 0 ? Write.delete(ns, key) : Write.put(ns, key, "v" + step);
      w.apply(WriteSet.of(write), new Version(step + 1, rnd.nextInt(3)));
      if (rnd.nextInt(25) == 0) {
        assertThat(w.root()).as("seed %d step %d", seed, step).isEqualTo(fromScratch(w));
      }
      if (step == 1500) {
        copy = w.copy();
      }
    }
    assertThat(w.root()).as("seed %d", seed).isEqualTo(fromScratch(w));
    assertThat(copy.root()).as("seed %d", seed).isEqualTo(fromScratch(copy))
        .isNotEqualTo(w.root());
  }

  private static Digest fromScratch(WorldState w) {
    if (w.size() == 0) {
      return Digest.ZERO;
    }
    List<List<Digest>> buckets = new ArrayList<>();
    for (int b = 0; b < WorldState.BUCKETS; b++) {
      buckets.add(new ArrayList<>());
    }
    for (StateEntry e : w.entries()) { // in StateKey order
      buckets.get(WorldState.bucketOf(new StateKey(e.contract(), e.key())))
          .add(WorldState.entryDigest(e));
    }
    List<Digest> leaves = new ArrayList<>();
    for (List<Digest> b : buckets) {
      leaves.add(b.isEmpty() ? Digest.ZERO : Digest.sha256(b.toArray(new Digest[0])));
    }
    return MerkleTree.rootOf(leaves);
  }

  private static Digest single(String contract, String key, String value, Version v) {
    WorldState w = new WorldState();
    w.apply(WriteSet.of(Write.put(contract, key, value)), v);
    return w.root();
  }
}
