package org.bftlab.sim.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.bftlab.core.model.NodeId;
import org.bftlab.sim.FaultSchedule;
import org.bftlab.sim.ProcessFault;
import org.bftlab.sim.Simulation;
import org.bftlab.sim.SimulationResult;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent.Kind;
import org.junit.jupiter.api.Test;

/**
 * The labelling rule of {@link FaultModel} (Castro &amp; Liskov OSDI'99 §2): a crash followed by
 * a restart from an intact journal is a correct replica; amnesia, truncation, corruption, a crash
 * never restarted and every Byzantine strategy count toward f; more than f faulty is beyond.
 */
class FaultModelTest {
  private final Trace t = new Trace();

  private void line(long tick, Kind kind, String node) {
    t.add(tick, kind, node, null, null, null, null, null);
  }

  private void byzantine(String node) {
    t.add(0, Kind.RULE, node, null, "byzantine:mutate", null, null, null);
  }

  private FaultModel model(int f) {
    return FaultModel.of(t.events(), f);
  }

  @Test
  void crashThenRestartFromAnIntactJournalIsCorrectAndWithin() {
    line(20, Kind.CRASH, "node-2");
    line(60, Kind.RESTART, "node-2");
    line(70, Kind.CRASH, "node-2");
    line(80, Kind.RESTART, "node-2");
    line(30, Kind.PAUSE, "node-3");
    line(50, Kind.RESUME, "node-3");
    FaultModel m = model(1);
    assertThat(m.faulty()).isEmpty();
    assertThat(m.crashRecovered()).containsExactly("node-2");
    assertThat(m.within()).isTrue();
    assertThat(m.label()).isEqualTo("within");
  }

  @Test
  void fByzantinePlusCrashRecoveredCorrectReplicasAreWithin() {
    byzantine("node-5");
    byzantine("node-6");
    line(20, Kind.CRASH, "node-0");
    line(40, Kind.CRASH, "node-2");
    line(70, Kind.RESTART, "node-0");
    line(90, Kind.RESTART, "node-2");
    FaultModel m = model(2);
    assertThat(m.faulty()).containsExactly("node-5", "node-6");
    assertThat(m.crashRecovered()).containsExactly("node-0", "node-2");
    assertThat(m.within()).isTrue();
  }

  @Test
  void amnesiaTruncationAndCorruptionCountTowardF() {
    line(20, Kind.CRASH, "node-1");
    line(20, Kind.AMNESIA, "node-1");
    line(25, Kind.RESTART, "node-1");
    FaultModel one = model(1);
    assertThat(one.faulty()).containsExactly("node-1");
    assertThat(one.crashRecovered()).as("amnesia is not recovery from stable storage").isEmpty();
    assertThat(one.storageFaulty()).containsExactly("node-1");
    assertThat(one.within()).isTrue();
    line(30, Kind.CRASH, "node-2");
    line(30, Kind.TRUNCATE, "node-2");
    line(35, Kind.RESTART, "node-2");
    line(40, Kind.CRASH, "node-3");
    line(40, Kind.CORRUPT, "node-3");
    line(45, Kind.JOURNAL_CORRUPT, "node-3");
    FaultModel three = model(1);
    assertThat(three.faulty()).containsExactly("node-1", "node-2", "node-3");
    assertThat(three.excludedFromSafety()).containsExactly("node-1", "node-2", "node-3");
    assertThat(three.crashedForGood()).as("listed once, as storage-faulty").isEmpty();
    assertThat(three.within()).isFalse();
  }

  @Test
  void aCrashNeverRestartedCountsTowardFButStaysInTheSafetyChecks() {
    line(20, Kind.CRASH, "node-0");
    line(30, Kind.CRASH, "node-1");
    line(40, Kind.RESTART, "node-1");
    line(50, Kind.CRASH, "node-1");
    FaultModel m = model(1);
    assertThat(m.crashedForGood()).containsExactly("node-0", "node-1");
    assertThat(m.faulty()).containsExactly("node-0", "node-1");
    assertThat(m.excludedFromSafety()).isEmpty();
    assertThat(m.within()).isFalse();
    assertThat(m.beyondReason()).isEqualTo("beyond the fault model: 2 faulty > f = 1 "
        + "(crashed, not restarted [node-0, node-1])");
  }

  @Test
  void fPlusOneFaultyIsBeyondWhateverTheirKind() {
    byzantine("node-0");
    line(10, Kind.CRASH, "node-1");
    line(10, Kind.AMNESIA, "node-1");
    line(15, Kind.RESTART, "node-1");
    line(20, Kind.CRASH, "node-2");
    line(30, Kind.RESTART, "node-2");
    FaultModel m = model(1);
    assertThat(m.faulty()).containsExactly("node-0", "node-1");
    assertThat(m.crashRecovered()).containsExactly("node-2");
    assertThat(m.label()).isEqualTo("beyond");
    assertThat(m.beyondReason()).contains("2 faulty > f = 1").contains("Byzantine [node-0]")
        .contains("storage fault [node-1]");
  }

  @Test
  void aTwinIsTheNodeItDuplicates() {
    byzantine("node-0");
    line(20, Kind.CRASH, "node-0'");
    line(30, Kind.RESTART, "node-0'");
    FaultModel m = model(1);
    assertThat(m.faulty()).containsExactly("node-0");
    assertThat(m.crashRecovered()).as("a Byzantine node is never a correct one").isEmpty();
  }

  /** The schedule-level rule agrees: {@link FaultSchedule#faultyNodes()}. */
  @Test
  void theScheduleCountsTheSameNodesTowardF() {
    NodeId n0 = new NodeId(0);
    NodeId n1 = new NodeId(1);
    NodeId n2 = new NodeId(2);
    NodeId n3 = new NodeId(3);
    FaultSchedule s = FaultSchedule.of(new ProcessFault.Crash(n0, 10),
        new ProcessFault.Restart(n0, 20), new ProcessFault.Pause(n3, 5, 50, true),
        new ProcessFault.Crash(n1, 10), new ProcessFault.Amnesia(n1, 10),
        new ProcessFault.Restart(n1, 20), new ProcessFault.Restart(n2, 5),
        new ProcessFault.Crash(n2, 30));
    assertThat(s.faultyNodes()).containsExactly(n1, n2);
  }

  /** End to end: a run beyond the model never reports liveness as met. */
  @Test
  void aVerdictBeyondTheModelSaysLivenessNotJudgedNeverLive() {
    NodeId a = new NodeId(1);
    NodeId b = new NodeId(2);
    SimulationResult r = Simulation.nodes(4).seed(8).transactions(20)
        .process(new ProcessFault.Crash(a, 20), new ProcessFault.Amnesia(a, 20),
            new ProcessFault.Crash(b, 20), new ProcessFault.Truncate(b, 20, null, 2),
            new ProcessFault.Restart(a, 30), new ProcessFault.Restart(b, 30))
        .run();
    Verdict v = r.verdict();
    assertThat(v.faultModel()).isEqualTo("beyond");
    assertThat(v.livenessJudged()).isFalse();
    assertThat(v.live()).isFalse();
    assertThat(v.liveness()).isEqualTo(Verdict.NOT_JUDGED);
    assertThat(v.headline()).isEqualTo("safe, liveness not judged (beyond the fault model: "
        + "2 faulty > f = 1)");
    assertThat(v.toJson()).contains("\"live\":null,\"liveness\":\"not-judged\","
        + "\"livenessNote\":\"beyond the fault model: 2 faulty > f = 1");
  }

  /** End to end: crash + restart of two nodes of four is within the model and judged live. */
  @Test
  void twoCrashRecoveredNodesOfFourAreWithinAndJudgedLive() {
    SimulationResult r = Simulation.nodes(4).seed(8).transactions(20)
        .process(new ProcessFault.Crash(new NodeId(1), 20), new ProcessFault.Crash(new NodeId(2),
            25), new ProcessFault.Restart(new NodeId(1), 40), new ProcessFault.Restart(
                new NodeId(2), 45))
        .run();
    Verdict v = r.verdict();
    assertThat(v.within()).isTrue();
    assertThat(v.crashRecovered()).containsExactly("node-1", "node-2");
    assertThat(v.livenessJudged()).isTrue();
    assertThat(v.live()).as(v.summary()).isTrue();
    assertThat(v.headline()).isEqualTo("safe, live");
  }
}
