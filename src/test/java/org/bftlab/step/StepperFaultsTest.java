package org.bftlab.step;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bftlab.core.msg.PrePrepare;
import org.junit.jupiter.api.Test;

/** The stepper's invariant badges and its process and network faults, without a browser. */
class StepperFaultsTest {
  private static final long SEED = 7;

  /** Delivers everything in flight (oldest first), dropping what goes to {@code cutOff}. */
  private static void deliverAllExceptTo(Stepper s, String cutOff) {
    for (int i = 0; i < 500 && !s.inFlight().isEmpty(); i++) {
      InFlight m = s.inFlight().get(0);
      s.apply(new Choice(m.to().equals(cutOff) ? "drop" : "deliver", Long.toString(m.id())));
    }
  }

  @Test
  void twoAmnesiacsBeyondFShowTheViolationBadgeAtTheStepThatCausedIt() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    deliverAllExceptTo(s, "node-3");
    assertThat(s.badges().safety()).isEqualTo("safe");
    assertThat(s.badges().liveness()).isEqualTo("live");
    s.apply(new Choice("crash", "node-0"));
    s.apply(new Choice("amnesia", "node-1"));
    s.apply(new Choice("amnesia", "node-2"));
    // node-3 (correct) restarts from its intact journal and announces itself: the amnesiacs
    // hear f+1 peers in step and arm their timers
    s.apply(new Choice("crash", "node-3"));
    s.apply(new Choice("restart", "node-3"));
    deliverAllExceptTo(s, "node-0");
    s.apply(new Choice("request", "all"));
    deliverAllExceptTo(s, "node-0");
    for (String n : List.of("node-1", "node-2", "node-3")) {
      s.apply(new Choice("timer", n));
    }
    s.runUntilCommitted(1);
    Badges b = s.badges();
    System.out.println(b);
    assertThat(b.faultModel()).isEqualTo("beyond");
    assertThat(b.safety()).isEqualTo("UNSAFE");
    assertThat(b.liveness()).isEqualTo("not judged");
    assertThat(b.detail()).contains("agreement");
    assertThat(b.violationStep()).isPositive().isLessThanOrEqualTo(s.position());
  }

  @Test
  void anEquivocatingPrimarySplitsTheBackupsButNoCorrectReplicaCommitsAndSafetyHolds() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    s.apply(new Choice("byzantine", "node-0 equivocate node-3"));
    deliverAllExceptTo(s, "none");
    List<PrePrepare> pps = s.arrows().stream().map(a -> a.message().message())
        .filter(m -> m instanceof PrePrepare).map(m -> (PrePrepare) m).toList();
    assertThat(pps).hasSize(3);
    assertThat(pps.stream().map(PrePrepare::digest).distinct().count()).isEqualTo(2);
    assertThat(s.replica("node-1").slot(1).get().digest())
        .isNotEqualTo(s.replica("node-3").slot(1).get().digest());
    assertThat(String.join("\n", s.narration())).contains("equivocation: d'");
    Badges b = s.badges();
    assertThat(b.faultModel()).isEqualTo("within");
    assertThat(b.faulty()).containsExactly("node-0");
    assertThat(b.safety()).isEqualTo("safe");
    assertThat(b.violationStep()).isEqualTo(-1);
    assertThat(s.byzantine()).containsEntry("node-0", "equivocate");
  }

  @Test
  void aSilentBackupSendsNothingAndTheOthersStillCommit() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    s.apply(new Choice("byzantine", "node-2 silent"));
    deliverAllExceptTo(s, "none");
    assertThat(s.arrows()).filteredOn(a -> a.message().message() != null)
        .noneMatch(a -> a.message().from().equals("node-2"));
    for (String n : List.of("node-0", "node-1", "node-3")) {
      assertThat(s.replica(n).height()).as(n).isEqualTo(1);
    }
    assertThat(s.badges().liveness()).isEqualTo("live");
    assertThatThrownBy(() -> s.apply(new Choice("byzantine", "node-2 lie")))
        .hasMessageContaining("already Byzantine");
    assertThatThrownBy(() -> s.apply(new Choice("byzantine", "node-1 lie")))
        .hasMessageContaining("unknown Byzantine strategy 'lie'");
  }

  @Test
  void aPartitionCutsMessagesUntilHealedAndAHeldMessageWaits() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    s.apply(new Choice("partition", "node-3"));
    assertThat(s.partition()).containsExactly(List.of("node-3"),
        List.of("node-0", "node-1", "node-2"));
    deliverAllExceptTo(s, "none");
    assertThat(s.arrows()).filteredOn(a -> a.fate().equals("cut")).isNotEmpty()
        .allMatch(a -> a.message().to().equals("node-3") || a.message().from().equals("node-3"));
    assertThat(s.replica("node-3").height()).isZero();
    assertThat(s.replica("node-2").height()).isEqualTo(1);
    s.apply(new Choice("heal", ""));
    assertThat(s.partition()).isEmpty();
    assertThatThrownBy(() -> s.apply(new Choice("heal", ""))).hasMessageContaining("no partition");

    Stepper h = new Stepper(StepConfig.normalCase(SEED));
    long request = h.inFlight().get(0).id();
    h.apply(new Choice("hold", Long.toString(request)));
    assertThat(h.step().verb()).isEqualTo("tick");
    assertThat(h.held(request)).isTrue();
    assertThat(h.inFlight()).extracting(InFlight::id).containsExactly(request);
    h.apply(new Choice("deliver", Long.toString(request)));
    assertThat(h.held(request)).isFalse();
    assertThat(h.inFlight()).extracting(InFlight::type).contains("PRE-PREPARE");
  }

  @Test
  void theNormalTourWalksFigureOneAndBack() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    Tour t = Tour.start("normal", s);
    assertThat(t.current().words()).contains("REQUEST").contains("§4.1");
    while (t.next(s).isPresent()) {
      if (t.current().title().contains("COMMIT")) {
        assertThat(s.replica("node-1").slot(1).get().phase()).isEqualTo("prepared");
      }
    }
    assertThat(t.index()).isEqualTo(t.size() - 1);
    assertThat(s.replicas()).allMatch(r -> r.slot(1).get().phase().equals("committed-local"));
    assertThat(s.completedRequests()).hasSize(1);
    int end = s.position();
    assertThat(t.back(s)).get().extracting(Tour.Stop::title).asString().contains("REPLY");
    assertThat(s.position()).isLessThan(end);
    assertThat(s.completedRequests()).isEmpty();
  }

  @Test
  void theTerminalRunsTheViewChangeTourAndTheFaultCommands() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    StepRepl repl = new StepRepl(new Stepper(StepConfig.normalCase(SEED)),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    repl.run(new BufferedReader(new StringReader(String.join("\n", "tour view-change", "next",
        "next", "next", "next", "next", "next", "show node-2", "badges",
        "byzantine node-3 equivocate node-1", "partition node-0|node-1", "quit"))));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("tour view-change 6/6").contains("VIEW-CHANGE, v+1")
        .contains("node-2: view 1, backup (primary node-1)")
        .contains("the tour is over")
        .contains("safety: safe, liveness: live, fault model: within")
        .contains("node-3 turns Byzantine (equivocate)")
        .contains("the network is partitioned [[node-0], [node-1], [node-2, node-3]]")
        .doesNotContain("error:");
    assertThat(repl.stepper().replica("node-1").role()).isEqualTo("primary");
  }
}
