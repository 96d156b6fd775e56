package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;
import org.bftlab.transport.fault.NetworkRule;
import org.junit.jupiter.api.Test;

/**
 * The seeded campaign: random schedules on n = 4 with at most f = 1 faulty node — any node,
 * the primary of view 0 included ({@link #SCHEDULE}) — mixed network and process faults (crash,
 * restart, pause, amnesia, truncation, corruption, isolation, partitions, loss, delay,
 * duplication, reordering), plus crash and restart from an intact journal of up to two other,
 * correct replicas (OSDI'99 §2: they do not count toward f), 20–40 transactions each. Journals
 * compact every {@link Simulation#DEFAULT_SNAPSHOT_EVERY} events as the Pekko shell's snapshots
 * do, so restarts replay compacted journals. One seed in {@link #BYZANTINE_EVERY} is Byzantine
 * instead ({@link RandomSchedule#byzantine}): its one faulty node mutates, replays, forges,
 * equivocates, stays silent or has a twin, often while primary(0) is cut off so that its
 * VIEW-CHANGEs and NEW-VIEWs are rewritten too. Every seed is within the fault model; zero safety
 * violations and liveness met on every seed.
 *
 * <p>Liveness bound: {@link #BOUND} = 4·T ticks after max(submission, last heal), T = 4 ×
 * retransmitTicks = 80 the base view-change timeout. After the last heal a request may still need
 * one view change that fails (primary(v+1) refuses to start on a corrupt journal: T until the
 * timer fires, T waiting for a NEW-VIEW that never comes) and the next one (2T, doubled). The
 * worst observed over seeds [0, 800) is 148 ticks.
 */
class CampaignTest {
  static final long FROM = 0;
  static final long TO = 800;
  /**
   * Faults on any node, the primary included, starting and healing within 120 ticks; up to two
   * correct replicas crash and restart too.
   */
  static final RandomSchedule SCHEDULE = new RandomSchedule(true, 120, 2);
  /** One seed in this many runs a Byzantine schedule instead of crash/network faults. */
  static final int BYZANTINE_EVERY = 4;
  /** 4·T with T = 4 × retransmitTicks (20) = 80. */
  static final long BOUND = 4 * 4 * 20;

  @Test
  void eightHundredRandomSchedulesWithinTheFaultModelAreSafeAndLive() {
    long start = System.nanoTime(); // report only; nothing in the simulation reads a clock
    ThreadMXBean mx = ManagementFactory
        .getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    int[] within = {0};
    long[] work = {0, 0};
    Map<String, Integer> faults = new TreeMap<>();
    SeedProperty.Summary s = SeedProperty.forSeeds(FROM, TO, seed -> {
      boolean byzantine = isByzantine(seed);
      SimulationResult r = byzantine ? byzantineRun(seed).run()
          : Simulation.nodes(4).seed(seed).transactions(20 + (int) (seed % 21))
              .livenessBound(BOUND).faults(SCHEDULE.generate(seed, 4)).run();
      Verdict v = r.verdict();
      if (!v.within() || !v.safe() || !v.live()) {
        throw new AssertionError(v.summary());
      }
      within[0]++;
      if (byzantine) {
        countByzantine(r, faults);
      }
      if (!v.crashRecovered().isEmpty()) {
        faults.merge("runs with crash-recovered correct replicas", 1, Integer::sum);
        faults.merge("crash-recovered correct replicas", v.crashRecovered().size(),
            Integer::sum);
      }
      work[0] += r.trace().size();
      work[1] += r.endTick();
      count(r, faults);
    });
    double secs = (System.nanoTime() - start) / 1e9;
    double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
    System.out.printf("campaign: seeds [%d, %d), %d runs, %d within the fault model, bound %d "
        + "ticks, %.1f s (%.1f s CPU), %d trace lines, %d ticks%n  faults exercised: %s%n",
        s.from(), s.to(), s.seedsRun(), within[0], BOUND, secs, cpu, work[0], work[1], faults);
    assertThat(within[0]).isEqualTo((int) s.seedsRun());
    if (s.seedsRun() == TO - FROM) {
      assertThat(faults.getOrDefault("byzantine runs", 0)).as("one seed in "
          + BYZANTINE_EVERY + " is Byzantine").isEqualTo((int) (TO - FROM) / BYZANTINE_EVERY);
      assertThat(faults.keySet()).as("every strategy ran").contains("byzantine:mutate",
          "byzantine:replay", "byzantine:forge-signature", "byzantine:silent", "byzantine:twin",
          "byzantine:equivocate");
      assertThat(faults.getOrDefault("byzantine runs rewriting VIEW-CHANGE or NEW-VIEW", 0))
          .as("the view change is attacked in the campaign").isGreaterThan(25);
      assertThat(faults.getOrDefault("runs with crash-recovered correct replicas", 0))
          .as("the campaign crashes and restarts correct replicas").isGreaterThan(100);
      assertThat(faults.getOrDefault("restart from a compacted journal", 0))
          .as("the campaign restarts replicas from compacted journals (snapshot every "
              + Simulation.DEFAULT_SNAPSHOT_EVERY + " events)").isGreaterThan(50);
    }
  }

  /** Whether {@code seed} runs a Byzantine schedule ({@link RandomSchedule#byzantine}). */
  static boolean isByzantine(long seed) {
    return seed % BYZANTINE_EVERY == BYZANTINE_EVERY - 1;
  }

  /** Tallies a Byzantine run: its strategy, and whether it rewrote the view change's messages. */
  private static void countByzantine(SimulationResult r, Map<String, Integer> tally) {
    tally.merge("byzantine runs", 1, Integer::sum);
    r.config().faults().byzantine().forEach(b -> tally.merge("byzantine:" + b.spec().name(), 1,
        Integer::sum));
    Map<String, Integer> rewritten = new TreeMap<>();
    r.trace().of(Kind.SEND).stream()
        .filter(e -> e.detail() != null && e.detail().contains("(byzantine "))
        .forEach(e -> rewritten.merge(e.name(), 1, Integer::sum));
    if (rewritten.containsKey("VIEW-CHANGE") || rewritten.containsKey("NEW-VIEW")) {
      tally.merge("byzantine runs rewriting VIEW-CHANGE or NEW-VIEW", 1, Integer::sum);
    }
    rewritten.forEach((type, k) -> tally.merge("rewritten " + type, k, Integer::sum));
  }

  /**
   * The Byzantine seeds can fail: with the NEW-VIEW that drops P planted ({@link
   * PlantedBug#NEW_VIEW_DROPS_P}), some campaign seed with a Byzantine node breaks agreement,
   * and the same seed without the bug is safe.
   */
  @Test
  void theByzantineSeedsCatchANewViewThatDropsP() {
    for (long seed = FROM; seed < TO; seed++) {
      if (!isByzantine(seed)) {
        continue;
      }
      Verdict v = byzantineRun(seed).plantBug(PlantedBug.NEW_VIEW_DROPS_P).run().verdict();
      if (!v.safe()) {
        System.out.printf("campaign seed %d (Byzantine) catches %s: %s%n", seed,
            PlantedBug.NEW_VIEW_DROPS_P, v.summary());
        assertThat(v.check("agreement-seqno").violations()).isNotEmpty();
        Verdict clean = byzantineRun(seed).run().verdict();
        assertThat(clean.safe()).as(clean.summary()).isTrue();
        return;
      }
    }
    throw new AssertionError("no Byzantine campaign seed caught " + PlantedBug.NEW_VIEW_DROPS_P);
  }

  private static Simulation byzantineRun(long seed) {
    return Simulation.nodes(4).seed(seed).transactions(20 + (int) (seed % 21))
        .livenessBound(BOUND).faults(SCHEDULE.byzantine(seed, 4));
  }

  /** Tallies the faults a run exercised, and its view changes. */
  private static void count(SimulationResult r, Map<String, Integer> tally) {
    boolean primaryHit = false;
    long views = 0;
    for (TraceEvent e : r.trace().events()) {
      if (e.is(Kind.RULE) && e.data() instanceof NetworkRule rule) {
        tally.merge("rule:" + rule.name(), 1, Integer::sum);
      } else if (e.is(Kind.RESTART) && e.detail() != null
          && e.detail().contains(Simulator.COMPACTED)) {
        tally.merge(e.kind(), 1, Integer::sum);
        tally.merge("restart from a compacted journal", 1, Integer::sum);
      } else if (e.is(Kind.CRASH) || e.is(Kind.RESTART) || e.is(Kind.PAUSE)
          || e.is(Kind.AMNESIA) || e.is(Kind.TRUNCATE) || e.is(Kind.CORRUPT)
          || e.is(Kind.JOURNAL_CORRUPT)) {
        tally.merge(e.kind(), 1, Integer::sum);
        primaryHit |= "node-0".equals(e.node());
      } else if (e.is(Kind.PERSISTED) && e.data() instanceof NewViewInstalled nv) {
        views = Math.max(views, nv.view());
      }
    }
    if (primaryHit) {
      tally.merge("process fault on primary(0)", 1, Integer::sum);
    }
    if (views > 0) {
      tally.merge("runs with a view change", 1, Integer::sum);
    }
  }
}
