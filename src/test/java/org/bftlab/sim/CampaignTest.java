package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
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
 * correct replicas (OSDI'99 §2: they do not count toward f), 20–40 transactions each. Every seed
 * is within the fault model; zero safety violations and liveness met on every seed.
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
      SimulationResult r = Simulation.nodes(4).seed(seed).transactions(20 + (int) (seed % 21))
          .livenessBound(BOUND).faults(SCHEDULE.generate(seed, 4)).run();
      Verdict v = r.verdict();
      if (!v.within() || !v.safe() || !v.live()) {
        throw new AssertionError(v.summary());
      }
      within[0]++;
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
      assertThat(faults.getOrDefault("runs with crash-recovered correct replicas", 0))
          .as("the campaign crashes and restarts correct replicas").isGreaterThan(100);
    }
  }

  /** Tallies the faults a run exercised, and its view changes. */
  private static void count(SimulationResult r, Map<String, Integer> tally) {
    boolean primaryHit = false;
    long views = 0;
    for (TraceEvent e : r.trace().events()) {
      if (e.is(Kind.RULE) && e.data() instanceof NetworkRule rule) {
        tally.merge("rule:" + rule.name(), 1, Integer::sum);
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
