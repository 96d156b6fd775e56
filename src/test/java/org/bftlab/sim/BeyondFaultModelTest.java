package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.check.Verdict;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;
import org.junit.jupiter.api.Test;

/**
 * More than f faulty nodes: the verdict says {@code beyond}, liveness is not judged, and PBFT's
 * guarantees may indeed be lost — the checkers report it.
 */
class BeyondFaultModelTest {
  private static final NodeId N0 = new NodeId(0);
  private static final NodeId N1 = new NodeId(1);
  private static final NodeId N2 = new NodeId(2);
  private static final NodeId N3 = new NodeId(3);

  /**
   * node-3 is cut off while node-0, node-1 and node-2 commit the first batches; then node-1 and
   * node-2 lose their journals (2 > f = 1 storage faults) and node-0 is cut off. The three
   * remaining VIEW-CHANGEs carry no prepared certificate, so view 1 orders other batches at
   * seqNos node-0 committed: node-3 — never storage-faulty — disagrees with node-0.
   */
  static Simulation twoAmnesiacs(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long t = 25 + rnd.nextInt(20);
    return Simulation.nodes(4).seed(seed).transactions(30)
        .faults(FaultPlan.of(new NetworkRule.Isolate(Scope.window(0, t + 2), N3),
            new NetworkRule.Isolate(Scope.window(t, t + 250), N0)))
        .process(new ProcessFault.Crash(N1, t), new ProcessFault.Amnesia(N1, t),
            new ProcessFault.Crash(N2, t), new ProcessFault.Amnesia(N2, t),
            new ProcessFault.Restart(N1, t + 2), new ProcessFault.Restart(N2, t + 2));
  }

  @Test
  void twoNodesWithAmnesiaAreBeyondTheFaultModelAndAViolationIsReported() {
    Long violated = null;
    for (long seed = 0; seed < 20; seed++) {
      Verdict v = twoAmnesiacs(seed).run().verdict();
      assertThat(v.faultModel()).as("seed %d", seed).isEqualTo("beyond");
      assertThat(v.faultyNodes()).containsExactly("node-1", "node-2");
      assertThat(v.check("liveness").status()).isEqualTo("skipped");
      if (!v.safe() && violated == null) {
        violated = seed;
        System.out.println("beyond the fault model (2 amnesiac nodes of 4): seed " + seed
            + ": " + v.summary());
      }
    }
    assertThat(violated).as("a safety violation in seeds [0, 20)").isNotNull();
  }

  /** The same schedule with one amnesiac node (node-2 only crashes and keeps its journal). */
  @Test
  void theSameScheduleWithOneAmnesiacIsWithinAndSafe() {
    for (long seed = 0; seed < 20; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      long t = 25 + rnd.nextInt(20);
      Verdict v = Simulation.nodes(4).seed(seed).transactions(30)
          .faults(FaultPlan.of(new NetworkRule.Isolate(Scope.window(0, t + 2), N3),
              new NetworkRule.Isolate(Scope.window(t, t + 250), N0)))
          .process(new ProcessFault.Crash(N1, t), new ProcessFault.Amnesia(N1, t),
              new ProcessFault.Restart(N1, t + 2))
          .run().verdict();
      assertThat(v.within()).as("seed %d", seed).isTrue();
      assertThat(v.passed()).as("seed %d: %s", seed, v.summary()).isTrue();
    }
  }
}
