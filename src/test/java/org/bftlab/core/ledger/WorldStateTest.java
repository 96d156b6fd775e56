package org.bftlab.core.ledger;

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

  private static Digest single(String contract, String key, String value, Version v) {
    WorldState w = new WorldState();
    w.apply(WriteSet.of(Write.put(contract, key, value)), v);
    return w.root();
  }
}
