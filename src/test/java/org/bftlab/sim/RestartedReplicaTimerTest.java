package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bftlab.core.election.ElectionEvent.ViewChangeStarted;
import org.bftlab.core.model.NodeId;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;
import org.junit.jupiter.api.Test;

/**
 * Issue 7: a restarted replica must not start a view change of its own (PrimaryKillsIT's backup
 * kill). A backup is killed under a light load and restarted on its journal, but — as a real
 * node whose Pekko cluster join takes seconds — it reaches no peer for 8 s (longer than the
 * view-change timeout T = 200 ticks) while clients keep submitting to it. Before the fix its
 * timer ran for the requests it accepted, expired after T, and it sent a VIEW-CHANGE to v+1
 * alone, then sat in that view change; and the requests it accepted (whose relay to the others
 * was lost) waited there for ever, since clients never retransmit. Bars, over several seeds:
 * nobody starts a view change, the view stays 0, every accepted request commits.
 */
class RestartedReplicaTimerTest {
  static final NodeId BACKUP = new NodeId(2);
  static final long CRASH = 1000;
  static final long RESTART = 1300;
  /** The restarted replica reaches no peer for this long: 8 s at 10 ms a tick (> T = 200). */
  static final long UNREACHABLE = 800;
  static final long SEEDS = 6;

  static SimulationResult run(long seed) {
    long end = RESTART + UNREACHABLE + 8 * ViewChangeConvergenceTest.T;
    // from the crash on, so that nothing sent before the restart reaches the new process
    FaultPlan cutOff = FaultPlan.of(new NetworkRule.Isolate(
        Scope.window(CRASH, RESTART + UNREACHABLE), BACKUP));
    return Simulation.nodes(4).seed(seed).params(ViewChangeConvergenceTest.PARAMS)
        .latency(1, 2).clientSpacing(20).clientRetry(1_000_000)
        .transactions((int) ((RESTART + UNREACHABLE + 200) / 20))
        .livenessBound(4 * ViewChangeConvergenceTest.T).maxTicks(end)
        .faults(cutOff)
        .process(new ProcessFault.Crash(BACKUP, CRASH), new ProcessFault.Restart(BACKUP, RESTART))
        .run();
  }

  @Test
  void aRestartedBackupThatReachesNoPeerStartsNoViewChangeAndLosesNoRequest() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      System.out.println("restarted replica timer: seed " + seed
          + " (replay with RestartedReplicaTimerTest.run(" + seed + "))");
      SimulationResult r = run(seed);
      List<TraceEvent> viewChanges = r.trace().events().stream()
          .filter(e -> e.is(Kind.PERSISTED) && e.data() instanceof ViewChangeStarted).toList();
      long acceptedByBackup = r.trace().events().stream()
          .filter(e -> e.is(Kind.DELIVER) && "submit".equals(e.detail())
              && BACKUP.toString().equals(e.node())
              && e.tick() >= RESTART && e.tick() < RESTART + UNREACHABLE).count();
      ViewChangeConvergenceTest.Measured m = ViewChangeConvergenceTest.measure(r);
      assertThat(acceptedByBackup).as("seed %d: the scenario must submit to the cut-off backup",
          seed).isPositive();
      assertThat(m.safe()).as("seed %d: safety (%s)", seed, m.verdict()).isTrue();
      assertThat(viewChanges).as("seed %d: VIEW-CHANGEs started (a backup restart must cause "
          + "none)", seed).isEmpty();
      assertThat(m.lost()).as("seed %d: accepted requests that never committed (clients never "
          + "retransmit)", seed).isEmpty();
    }
  }
}
