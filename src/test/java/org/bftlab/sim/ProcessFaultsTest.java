package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.trace.TraceEvent;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;
import org.junit.jupiter.api.Test;

/** Crash, restart, pause, amnesia, truncation and corruption in the simulator. */
class ProcessFaultsTest {
  static final NodeId BACKUP = new NodeId(2);

  @Test
  void backupCrashedMidRunAndRestartedStaysSafeAndCommitsAfterHeal() {
    SimulationResult r = Simulation.nodes(4).seed(21).transactions(40)
        .process(new ProcessFault.Crash(BACKUP, 15), new ProcessFault.Restart(BACKUP, 60))
        .run();
    assertThat(r.verdict().checks()).allMatch(CheckResult::ok, r.verdict().toJson());
    assertThat(r.verdict().within()).isTrue();
    assertThat(r.verdict().faultyNodes()).as("crash + restart from an intact journal is correct")
        .isEmpty();
    assertThat(r.verdict().crashRecovered()).containsExactly("node-2");
    assertThat(r.verdict().live()).as(r.verdict().toJson()).isTrue();
    List<TraceEvent> restarts = r.trace().of(TraceEvent.Kind.RESTART);
    assertThat(restarts).hasSize(1);
    assertThat(restarts.get(0).detail()).startsWith("replayed election=");
    assertThat(r.trace().of(TraceEvent.Kind.DROP)).anyMatch(e -> e.detail().contains("node is down"));
  }

  @Test
  void restartedBackupReplaysItsJournalAndKeepsExecuting() {
    SimulationResult r = Simulation.nodes(4).seed(4).transactions(40).clientSpacing(3)
        .process(new ProcessFault.Crash(BACKUP, 30), new ProcessFault.Restart(BACKUP, 35))
        .run();
    assertThat(r.verdict().passed()).as(r.verdict().toJson()).isTrue();
    long after = r.trace().events().stream().filter(e -> e.is(TraceEvent.Kind.PERSISTED)
        && "node-2".equals(e.node()) && "BlockCommitted".equals(e.name()) && e.tick() > 35)
        .count();
    assertThat(after).as("node-2 commits blocks after its restart").isPositive();
  }

  @Test
  void pausedBackupWithQueuedMessagesCatchesUp() {
    SimulationResult r = Simulation.nodes(4).seed(5).transactions(30)
        .process(new ProcessFault.Pause(BACKUP, 10, 40, true)).run();
    assertThat(r.verdict().passed()).as(r.verdict().toJson()).isTrue();
    assertThat(r.verdict().faultyNodes()).as("a pause is slowness, not a fault").isEmpty();
    assertThat(r.trace().of(TraceEvent.Kind.RESUME)).hasSize(1);
  }

  @Test
  void amnesiaOfMoreThanFNodesIsLabelledBeyond() {
    NodeId a = new NodeId(1);
    NodeId b = new NodeId(2);
    SimulationResult r = Simulation.nodes(4).seed(8).transactions(30)
        .process(new ProcessFault.Crash(a, 20), new ProcessFault.Amnesia(a, 20),
            new ProcessFault.Crash(b, 20), new ProcessFault.Amnesia(b, 20),
            new ProcessFault.Restart(a, 30), new ProcessFault.Restart(b, 30))
        .run();
    assertThat(r.verdict().faultModel()).isEqualTo("beyond");
    assertThat(r.verdict().faultyNodes()).containsExactly("node-1", "node-2");
    assertThat(r.verdict().check("liveness").status()).isEqualTo("skipped");
  }

  @Test
  void amnesiaOfOneBackupIsWithinAndTheOthersStaySafeAndLive() {
    SimulationResult r = Simulation.nodes(4).seed(9).transactions(30)
        .process(new ProcessFault.Crash(BACKUP, 20), new ProcessFault.Amnesia(BACKUP, 20),
            new ProcessFault.Restart(BACKUP, 25))
        .run();
    assertThat(r.verdict().within()).isTrue();
    assertThat(r.verdict().passed()).as(r.verdict().toJson()).isTrue();
  }

  @Test
  void corruptJournalIsDetectedOnRestartAndTheNodeRefusesToRun() {
    SimulationResult r = Simulation.nodes(4).seed(10).transactions(30)
        .process(new ProcessFault.Crash(BACKUP, 25),
            new ProcessFault.Corrupt(BACKUP, 26, NodeRoute.Kind.AGREEMENT, 1),
            new ProcessFault.Restart(BACKUP, 30), new ProcessFault.Restart(BACKUP, 50))
        .run();
    List<TraceEvent> corrupt = r.trace().of(TraceEvent.Kind.JOURNAL_CORRUPT);
    assertThat(corrupt).hasSize(2);
    assertThat(corrupt.get(0).detail()).startsWith("journal corrupt at event #");
    assertThat(corrupt.get(0).component()).isEqualTo("agreement");
    assertThat(r.trace().of(TraceEvent.Kind.RESTART)).isEmpty();
    assertThat(r.trace().events()).noneMatch(e -> "node-2".equals(e.node()) && e.tick() > 25
        && (e.is(TraceEvent.Kind.PERSISTED) || e.is(TraceEvent.Kind.DELIVER)));
    assertThat(r.verdict().passed()).as("the other three carry on: " + r.verdict().toJson())
        .isTrue();
  }

  @Test
  void truncatedJournalTailIsWithinForOneNode() {
    SimulationResult r = Simulation.nodes(4).seed(12).transactions(30)
        .process(new ProcessFault.Crash(BACKUP, 20), new ProcessFault.Truncate(BACKUP, 20, null, 3),
            new ProcessFault.Restart(BACKUP, 24))
        .run();
    assertThat(r.trace().of(TraceEvent.Kind.TRUNCATE)).hasSize(3);
    assertThat(r.verdict().passed()).as(r.verdict().toJson()).isTrue();
  }

  @Test
  void isolatedBackupAndHealKeepEverythingSafeAndLive() {
    SimulationResult r = Simulation.nodes(4).seed(13).transactions(30)
        .faults(FaultPlan.of(new NetworkRule.Isolate(Scope.window(5, 60), BACKUP),
            new NetworkRule.Drop(Scope.window(0, 40), 0.1)))
        .run();
    assertThat(r.verdict().passed()).as(r.verdict().toJson()).isTrue();
    assertThat(r.trace().of(TraceEvent.Kind.HEAL)).hasSize(2);
  }
  @Test
  void wipedBackupCatchesUpOnAnIdleClusterThroughStatus() {
    // every transaction is done by tick ~100; node-2 loses its journal at 150 and restarts at
    // 160 into a cluster with no traffic: only STATUS tells anyone it is behind (issue 7 item 4)
    SimulationResult r = Simulation.nodes(4).seed(31).transactions(20).clientSpacing(2)
        .process(new ProcessFault.Crash(BACKUP, 150), new ProcessFault.Amnesia(BACKUP, 150),
            new ProcessFault.Restart(BACKUP, 160))
        .maxTicks(700).run();
    assertThat(r.verdict().passed()).as(r.verdict().toJson()).isTrue();
    long blocks = r.trace().events().stream().filter(e -> e.is(TraceEvent.Kind.PERSISTED)
        && "node-0".equals(e.node()) && "BlockCommitted".equals(e.name())).count();
    long rebuilt = r.trace().events().stream().filter(e -> e.is(TraceEvent.Kind.PERSISTED)
        && "node-2".equals(e.node()) && "BlockCommitted".equals(e.name()) && e.tick() > 160)
        .count();
    assertThat(blocks).isPositive();
    assertThat(rebuilt).as("node-2 rebuilds the whole chain with no new request").isEqualTo(blocks);
    assertThat(r.trace().events()).anyMatch(e -> e.is(TraceEvent.Kind.SEND)
        && "STATUS".equals(e.name()) && "node-2".equals(e.node()) && e.tick() >= 160);
    assertThat(r.trace().events()).noneMatch(e -> e.is(TraceEvent.Kind.SUBMIT) && e.tick() > 150);
  }
}
