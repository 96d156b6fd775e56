package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.bftlab.core.PlantedBug;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Verdict;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;
import org.junit.jupiter.api.Test;

/**
 * Negative controls: each test plants one deliberate bug ({@link PlantedBug}, switchable only
 * through the package-private {@link Simulation#plantBug}) and runs seeded schedules chosen to
 * make it observable until the checkers report a safety violation; it must be found within
 * {@value #SEEDS} seeds. The same seed without the bug must be safe, so the violation is the
 * bug's and not the schedule's. {@code -Dbftlab.seed=N} runs only seed N.
 */
class NegativeControlsTest {
  static final int SEEDS = 200;
  private static final NodeId N0 = new NodeId(0);
  private static final NodeId N1 = new NodeId(1);
  private static final NodeId N2 = new NodeId(2);
  private static final NodeId N3 = new NodeId(3);

  /**
   * (a) committed-local with 2f COMMITs. PREPAREs to node-2 and node-3 are lost, so only the
   * primary node-0 and node-1 prepare; with the bug they commit with each other's COMMIT alone.
   * node-1 then loses its journal (the one faulty node) and node-0 is cut off, so the VIEW-CHANGEs
   * of view 1 carry no certificate: the new primary re-uses those seqNos for other batches.
   */
  @Test
  void commitQuorumOf2fIsCaught() {
    hunt(PlantedBug.COMMIT_QUORUM_2F, "commitQuorumOf2fIsCaught");
  }

  static Simulation commitQuorumSchedule(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long crash = 15 + rnd.nextInt(30);
    long lossEnd = 100 + rnd.nextInt(40);
    return base(seed)
        .faults(FaultPlan.of(
            new NetworkRule.Drop(Scope.window(0, lossEnd).to(N2, N3).types("PREPARE"), 1.0),
            new NetworkRule.Isolate(Scope.window(crash, lossEnd + 60 + rnd.nextInt(60)), N0)))
        .process(new ProcessFault.Crash(N1, crash), new ProcessFault.Amnesia(N1, crash),
            new ProcessFault.Restart(N1, crash + 1 + rnd.nextInt(5)));
  }

  /**
   * (b) the shell sends before the journal write completes. The primary crashes a tick after it
   * sent PRE-PREPAREs whose {@code PrePrepareSent} never became durable; restarted, it assigns
   * the same seqNos to other batches — two signed digests for one (view, seqNo, phase).
   */
  @Test
  void sendBeforePersistIsCaught() {
    hunt(PlantedBug.SEND_BEFORE_PERSIST, "sendBeforePersistIsCaught");
  }

  static Simulation sendBeforePersistSchedule(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long crash = 10 + rnd.nextInt(40);
    return base(seed).process(new ProcessFault.Crash(N0, crash),
        new ProcessFault.Restart(N0, crash + 1 + rnd.nextInt(6)));
  }

  /**
   * (c) the NEW-VIEW drops P. COMMITs to one backup are lost around the primary's crash, so it
   * is prepared but not committed where its peers are committed; the view change must carry the
   * prepared certificates to it. With the bug, O holds null requests there and that backup
   * commits a different digest at a seqNo its peers committed.
   */
  @Test
  void newViewThatDropsPIsCaught() {
    hunt(PlantedBug.NEW_VIEW_DROPS_P, "newViewThatDropsPIsCaught");
  }

  static Simulation newViewDropsPSchedule(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long crash = 20 + rnd.nextInt(40);
    NodeId lagging = new NodeId(1 + rnd.nextInt(3));
    return base(seed)
        .faults(FaultPlan.of(new NetworkRule.Drop(
            Scope.window(crash - 10, crash + 60 + rnd.nextInt(60)).to(lagging).types("COMMIT"),
            1.0)))
        .process(new ProcessFault.Crash(N0, crash));
  }

  /** The schedule family that makes {@code bug} observable. */
  static LongFunction<Simulation> scenario(PlantedBug bug) {
    return switch (bug) {
      case COMMIT_QUORUM_2F -> NegativeControlsTest::commitQuorumSchedule;
      case SEND_BEFORE_PERSIST -> NegativeControlsTest::sendBeforePersistSchedule;
      case NEW_VIEW_DROPS_P -> NegativeControlsTest::newViewDropsPSchedule;
    };
  }

  private static Simulation base(long seed) {
    return Simulation.nodes(4).seed(seed).transactions(30 + (int) (seed % 11));
  }

  /** Seeds until a safety check fails with {@code bug} planted; asserts it happens. */
  private static void hunt(PlantedBug bug, String method) {
    LongFunction<Simulation> scenario = scenario(bug);
    long start = System.nanoTime();
    String only = System.getProperty(SeedProperty.SEED_PROPERTY);
    long from = only == null || only.isBlank() ? 0 : Long.parseLong(only.trim());
    long to = only == null || only.isBlank() ? SEEDS : from + 1;
    for (long seed = from; seed < to; seed++) {
      Verdict v = scenario.apply(seed).plantBug(bug).run().verdict();
      if (!v.safe()) {
        List<String> failed = v.checks().stream().filter(c -> !c.ok()).map(CheckResult::name)
            .toList();
        System.out.printf("negative control %s: caught at seed %d (%d seeds, %.1f s) by %s (%s)%n"
                + "  %s%n  replay: mvn -o -q test -Dtest='NegativeControlsTest#%s' -D%s=%d%n",
            bug, seed, seed - from + 1, (System.nanoTime() - start) / 1e9, failed, v.faultModel(),
            v.summary(), method, SeedProperty.SEED_PROPERTY, seed);
        Verdict clean = scenario.apply(seed).run().verdict();
        assertThat(clean.safe()).as("seed %d without the bug: %s", seed, clean.summary())
            .isTrue();
        return;
      }
    }
    throw new AssertionError("planted bug " + bug + " not caught in seeds [" + from + ", " + to
        + ")");
  }
}
