package org.bftlab.transport.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;

/** Each network rule of the pure engine, its filters and its heal time. */
class FaultPlanTest {
  static final NodeId N0 = new NodeId(0);
  static final NodeId N1 = new NodeId(1);
  static final NodeId N2 = new NodeId(2);
  static final NodeId N3 = new NodeId(3);
  final SplittableRandom rnd = new SplittableRandom(42);

  Fate fate(FaultPlan plan, long now, NodeId from, NodeId to, String type) {
    return plan.decide(now, from, to, type, rnd);
  }

  @Test
  void noRulesDeliversOnceWithoutDelay() {
    assertThat(fate(FaultPlan.NONE, 5, N0, N1, "PREPARE")).isEqualTo(Fate.DELIVER);
  }

  @Test
  void dropAlwaysInsideWindowAndHealsAtUntil() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Drop(Scope.window(10, 20), 1.0));
    assertThat(fate(p, 9, N0, N1, "PREPARE").dropped()).isFalse();
    assertThat(fate(p, 10, N0, N1, "PREPARE").dropped()).isTrue();
    assertThat(fate(p, 19, N0, N1, "PREPARE").rule()).isEqualTo("drop");
    assertThat(fate(p, 20, N0, N1, "PREPARE").dropped()).as("healed at until").isFalse();
    assertThat(p.lastHeal()).hasValue(20);
  }

  @Test
  void dropWithProbabilityDropsAboutThatShare() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Drop(Scope.always(), 0.3));
    int dropped = 0;
    for (int i = 0; i < 10_000; i++) {
      dropped += fate(p, i, N0, N1, "COMMIT").dropped() ? 1 : 0;
    }
    assertThat(dropped).isBetween(2700, 3300);
  }

  @Test
  void filtersBySenderReceiverAndType() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Drop(Scope.always().from(N1).to(N2)
        .types("COMMIT"), 1.0));
    assertThat(fate(p, 0, N1, N2, "COMMIT").dropped()).isTrue();
    assertThat(fate(p, 0, N1, N2, "PREPARE").dropped()).isFalse();
    assertThat(fate(p, 0, N2, N1, "COMMIT").dropped()).isFalse();
    assertThat(fate(p, 0, N1, N3, "COMMIT").dropped()).isFalse();
  }

  @Test
  void messagesToSelfAreNeverTouched() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Isolate(Scope.always(), N1));
    assertThat(fate(p, 0, N1, N1, "PREPARE")).isEqualTo(Fate.DELIVER);
  }

  @Test
  void delayFixedUniformAndExponential() {
    assertThat(fate(FaultPlan.of(new NetworkRule.Delay(Scope.always(),
        new DelayDistribution.Fixed(7))), 0, N0, N1, "PREPARE").copies()).containsExactly(7L);
    FaultPlan uniform = FaultPlan.of(new NetworkRule.Delay(Scope.always(),
        new DelayDistribution.Uniform(2, 5)));
    Set<Long> seen = new TreeSet<>();
    for (int i = 0; i < 500; i++) {
      seen.addAll(fate(uniform, 0, N0, N1, "PREPARE").copies());
    }
    assertThat(seen).containsExactly(2L, 3L, 4L, 5L);
    FaultPlan exp = FaultPlan.of(new NetworkRule.Delay(Scope.always(),
        new DelayDistribution.Exponential(4.0, 30)));
    double sum = 0;
    for (int i = 0; i < 20_000; i++) {
      long d = fate(exp, 0, N0, N1, "PREPARE").copies().get(0);
      assertThat(d).isBetween(0L, 30L);
      sum += d;
    }
    assertThat(sum / 20_000).as("mean of floor(Exp(4))").isBetween(3.0, 4.0);
  }

  @Test
  void duplicateAddsALaterCopy() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Duplicate(Scope.always(), 1.0,
        new DelayDistribution.Fixed(3)));
    Fate f = fate(p, 0, N0, N1, "PREPARE");
    assertThat(f.copies()).containsExactly(0L, 3L);
    assertThat(f.rule()).isEqualTo("duplicate");
  }

  @Test
  void reorderLetsLaterMessagesOvertakeEarlierOnes() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Reorder(Scope.always(), 5));
    List<Long> arrivals = new ArrayList<>();
    for (long sent = 0; sent < 50; sent++) {
      arrivals.add(sent + fate(p, sent, N0, N1, "PREPARE").copies().get(0));
    }
    boolean overtaken = false;
    for (int i = 1; i < arrivals.size(); i++) {
      overtaken |= arrivals.get(i) < arrivals.get(i - 1);
    }
    assertThat(overtaken).isTrue();
    assertThat(arrivals).allMatch(a -> a >= 0);
  }

  @Test
  void symmetricPartitionDropsAcrossGroupsOnly() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Partition(Scope.window(0, 100),
        List.of(Set.of(N0, N1), Set.of(N2, N3))));
    assertThat(fate(p, 1, N0, N1, "PREPARE").dropped()).isFalse();
    assertThat(fate(p, 1, N2, N3, "PREPARE").dropped()).isFalse();
    assertThat(fate(p, 1, N0, N2, "PREPARE").dropped()).isTrue();
    assertThat(fate(p, 1, N3, N1, "PREPARE").dropped()).isTrue();
    assertThat(fate(p, 100, N3, N1, "PREPARE").dropped()).as("healed").isFalse();
  }

  @Test
  void oneWayPartitionDropsOneDirectionOnly() {
    FaultPlan p = FaultPlan.of(new NetworkRule.OneWayPartition(Scope.always(), Set.of(N1),
        Set.of(N0, N2)));
    assertThat(fate(p, 0, N1, N0, "COMMIT").dropped()).isTrue();
    assertThat(fate(p, 0, N1, N2, "COMMIT").dropped()).isTrue();
    assertThat(fate(p, 0, N0, N1, "COMMIT").dropped()).isFalse();
    assertThat(fate(p, 0, N1, N3, "COMMIT").dropped()).isFalse();
  }

  @Test
  void isolateCutsEveryLinkOfTheNodeUntilHeal() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Isolate(Scope.window(5, 15), N2));
    assertThat(fate(p, 5, N2, N0, "PREPARE").rule()).isEqualTo("isolate");
    assertThat(fate(p, 5, N3, N2, "PREPARE").dropped()).isTrue();
    assertThat(fate(p, 5, N0, N3, "PREPARE").dropped()).isFalse();
    assertThat(fate(p, 15, N3, N2, "PREPARE").dropped()).isFalse();
  }

  @Test
  void sameSeedSameFates() {
    FaultPlan p = FaultPlan.of(new NetworkRule.Drop(Scope.always(), 0.5),
        new NetworkRule.Reorder(Scope.always(), 9));
    SplittableRandom a = new SplittableRandom(3);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 0; i < 100; i++) {
      assertThat(p.decide(i, N0, N1, "PREPARE", a)).isEqualTo(p.decide(i, N0, N1, "PREPARE", b));
    }
  }
}
