package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bftlab.core.election.ElectionEvent.NewViewInstalled;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Request;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;
import org.junit.jupiter.api.Test;

/**
 * View changes that converge (issue 7, item 3; Castro &amp; Liskov OSDI'99 §4.4, TOCS'02 §4.5):
 * repeated kill -9 of the primary, each restarted on its journal a while later, then one backup
 * kill, under a light load, with the node's real timing (1 tick = 10 ms: retransmit 50 ticks,
 * view-change timeout T = 200 ticks, 5 tx/s, link latency 10–30 ms) and clients that never
 * retransmit. Over many seeds:
 *
 * <ul>
 *   <li>the view advances by at most 2 per primary kill;
 *   <li>a backup kill causes no view change;
 *   <li>every request accepted by a correct replica commits without client retransmission;
 *   <li>no interval without a commit, while an accepted request waits, is longer than 2T (at
 *       least 2f+1 replicas are up throughout).
 * </ul>
 *
 * Before the fix, seed 3 went through 27 views for 5 primary kills, views 5 → 12 with all four
 * replicas up, and lost requests pre-prepared in a view that did not survive.
 */
class ViewChangeConvergenceTest {
  static final int RETRANSMIT = 50;
  /** T = 4 × retransmitTicks, ElectionCore's default. */
  static final long T = 4L * RETRANSMIT;
  static final long KILL_EVERY = 800;
  static final long DOWN_FOR = 300;
  static final int PRIMARY_KILLS = 5;
  static final long SEEDS = Long.getLong("bftlab.viewchange.seeds", 24);

  static final ProtocolParams PARAMS = new ProtocolParams("sim", NodeId.range(4), 64, 2, 16, 32,
      RETRANSMIT, 64 * 1024, 4);

  /** kill -9 of node (k mod 4) at 1000 + k·800 for k < 5 (the primaries of views 0..4 if each
   *  kill costs one view), restarted 300 ticks later; then node-2 (a backup by then). */
  static List<ProcessFault> schedule() {
    List<ProcessFault> f = new ArrayList<>();
    long t = 1000;
    for (int k = 0; k < PRIMARY_KILLS; k++) {
      NodeId victim = new NodeId(k % 4);
      f.add(new ProcessFault.Crash(victim, t));
      f.add(new ProcessFault.Restart(victim, t + DOWN_FOR));
      t += KILL_EVERY;
    }
    f.add(new ProcessFault.Crash(new NodeId(2), t));
    f.add(new ProcessFault.Restart(new NodeId(2), t + DOWN_FOR));
    return f;
  }

  static SimulationResult run(long seed) {
    long end = 1000 + (PRIMARY_KILLS + 1) * KILL_EVERY;
    return Simulation.nodes(4).seed(seed).params(PARAMS).latency(1, 2).clientSpacing(20)
        .clientRetry(1_000_000).transactions((int) (end / 20)).livenessBound(4 * T)
        .maxTicks(end + 8 * T).process(schedule().toArray(ProcessFault[]::new)).run();
  }

  @Test
  void primaryKillsUnderLightLoadConvergeOverManySeeds() {
    long worstGap = 0;
    long worstPerKill = 0;
    int primaryKills = 0;
    int backupKills = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      System.out.println("view-change convergence: seed " + seed + " (replay with "
          + "ViewChangeConvergenceTest.run(" + seed + "))");
      Measured m = measure(run(seed));
      assertThat(m.safe).as("seed %d: safety (%s)", seed, m.verdict).isTrue();
      for (Kill k : m.kills) {
        if (k.primary) {
          primaryKills++;
          assertThat(k.viewAfter - k.viewAt).as("seed %d: views for the primary kill of %s at %d",
              seed, k.node, k.tick).isLessThanOrEqualTo(2);
          worstPerKill = Math.max(worstPerKill, k.viewAfter - k.viewAt);
        } else {
          backupKills++;
          assertThat(k.viewAfter).as("seed %d: a backup kill (%s at %d) causes no view change",
              seed, k.node, k.tick).isEqualTo(k.viewAt);
        }
      }
      assertThat(m.lost).as("seed %d: accepted requests that never committed (clients never "
          + "retransmit)", seed).isEmpty();
      assertThat(m.longestGap).as("seed %d: longest interval without a commit while a request "
          + "waits, at tick %d", seed, m.gapAt).isLessThanOrEqualTo(2 * T);
      worstGap = Math.max(worstGap, m.longestGap);
    }
    System.out.printf("view-change convergence: %d seeds, %d primary kills (worst %d views per "
        + "kill), %d backup kills, longest interval without a commit %d ticks (bar 2T = %d)%n",
        SEEDS, primaryKills, worstPerKill, backupKills, worstGap, 2 * T);
    assertThat(primaryKills).as("the schedule must hit the primary").isGreaterThanOrEqualTo(
        (int) (SEEDS * 3));
  }

  record Kill(String node, long tick, boolean primary, long viewAt, long viewAfter) {}

  record Measured(boolean safe, String verdict, List<Kill> kills, List<String> lost,
      long longestGap, long gapAt) {}

  /** Reads the bars off a trace. The cluster's view is the highest view any replica installed. */
  static Measured measure(SimulationResult r) {
    List<TraceEvent> events = r.trace().events();
    TreeMap<Long, Long> viewAt = new TreeMap<>(); // tick -> highest view installed by then
    viewAt.put(0L, 0L);
    List<long[]> crashes = new ArrayList<>();
    List<String> crashNodes = new ArrayList<>();
    Map<String, Long> accepted = new HashMap<>();
    Map<String, Long> committed = new HashMap<>();
    for (TraceEvent e : events) {
      if (e.is(Kind.PERSISTED) && e.data() instanceof NewViewInstalled nv
          && nv.view() > viewAt.lastEntry().getValue()) {
        viewAt.put(e.tick(), nv.view());
      } else if (e.is(Kind.CRASH)) {
        crashes.add(new long[] {e.tick()});
        crashNodes.add(e.node());
      } else if (e.is(Kind.DELIVER) && "submit".equals(e.detail()) && e.data() instanceof Request q) {
        accepted.putIfAbsent(q.txId(), e.tick());
      } else if (e.is(Kind.CLIENT_COMMITTED)) {
        committed.putIfAbsent(e.detail(), e.tick());
      }
    }
    List<Kill> kills = new ArrayList<>();
    for (int i = 0; i < crashes.size(); i++) {
      long t = crashes.get(i)[0];
      long next = i + 1 < crashes.size() ? crashes.get(i + 1)[0] : Long.MAX_VALUE;
      long before = viewAt.floorEntry(t).getValue();
      long after = viewAt.floorEntry(next - 1).getValue();
      boolean primary = PARAMS.primary(before).toString().equals(crashNodes.get(i));
      kills.add(new Kill(crashNodes.get(i), t, primary, before, after));
    }
    List<String> lost = accepted.keySet().stream().filter(tx -> !committed.containsKey(tx))
        .sorted().toList();
    // longest interval without a commit while some accepted request waits
    TreeMap<Long, Integer> commitTicks = new TreeMap<>();
    committed.values().forEach(t -> commitTicks.merge(t, 1, Integer::sum));
    long gap = 0;
    long gapAt = -1;
    for (Map.Entry<String, Long> a : accepted.entrySet()) {
      long since = a.getValue();
      long until = committed.getOrDefault(a.getKey(), r.endTick());
      // the waits of this request not covered by commits of any request
      long last = since;
      for (long c : commitTicks.subMap(since, true, until, true).keySet()) {
        if (c - last > gap) {
          gap = c - last;
          gapAt = last;
        }
        last = c;
      }
      if (until - last > gap) {
        gap = until - last;
        gapAt = last;
      }
    }
    return new Measured(r.verdict().safe(), r.verdict().summary(), kills, lost, gap, gapAt);
  }
}
