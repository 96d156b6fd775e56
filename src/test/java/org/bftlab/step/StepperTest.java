package org.bftlab.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepperTest {
  private static final long SEED = 7;

  @Test
  void deliveringInOrderReachesCommittedLocalOnEveryReplica() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    assertThat(s.inFlight()).singleElement().satisfies(m -> {
      assertThat(m.type()).isEqualTo("REQUEST");
      assertThat(m.to()).isEqualTo("node-0");
    });
    boolean sawPrepared = false;
    for (int i = 0; i < 200 && !s.inFlight().isEmpty(); i++) {
      s.step();
      ReplicaView n1 = s.replica("node-1");
      if (n1.slot(1).map(x -> x.phase().equals("prepared")).orElse(false)) {
        sawPrepared = true;
        assertThat(n1.slot(1).get().prepares()).isGreaterThanOrEqualTo(2);
        assertThat(n1.slot(1).get().prepareQuorum()).isEqualTo(2);
      }
    }
    assertThat(sawPrepared).isTrue();
    for (ReplicaView r : s.replicas()) {
      assertThat(r.slot(1)).as(r.node()).get().satisfies(x -> {
        assertThat(x.phase()).isEqualTo("committed-local");
        assertThat(x.commits()).isGreaterThanOrEqualTo(x.commitQuorum());
        assertThat(x.commitQuorum()).isEqualTo(3);
      });
      assertThat(r.height()).isEqualTo(1);
      assertThat(r.role()).isEqualTo(r.node().equals("node-0") ? "primary" : "backup");
    }
    assertThat(s.replicas()).extracting(ReplicaView::head).containsOnly(s.replica("node-0").head());
    assertThat(s.completedRequests()).hasSize(1);
    assertThat(String.join("\n", s.narration()))
        .contains("node-1 is prepared for (v=0, n=1)")
        .contains("is committed-local for (v=0, n=1)")
        .contains("OSDI'99 §4.2");
  }

  @Test
  void forwardBackForwardGivesTheTraceOfAStraightRun() {
    Stepper straight = new Stepper(StepConfig.normalCase(SEED));
    for (int i = 0; i < 20; i++) {
      straight.step();
    }
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    for (int i = 0; i < 14; i++) {
      s.step();
    }
    byte[] at14 = s.traceNdjson();
    s.back(5);
    assertThat(s.position()).isEqualTo(9);
    assertThat(s.traceNdjson()).isNotEqualTo(at14);
    for (int i = 0; i < 11; i++) {
      s.step();
    }
    assertThat(s.position()).isEqualTo(20);
    assertThat(s.traceNdjson()).isEqualTo(straight.traceNdjson());
    s.seek(3);
    s.seek(20);
    assertThat(s.traceNdjson()).isEqualTo(straight.traceNdjson());
  }

  @Test
  void anInterventionAfterGoingBackForksTheTimeline() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    for (int i = 0; i < 6; i++) {
      s.step();
    }
    s.back(3);
    long last = s.inFlight().get(s.inFlight().size() - 1).id();
    s.apply(new Choice("drop", Long.toString(last)));
    assertThat(s.timeline()).hasSize(4);
    assertThat(s.timeline().get(3).toString()).isEqualTo("drop " + last);
    assertThatThrownBy(() -> s.apply(new Choice("deliver", "999")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no message #999");
    assertThat(s.position()).isEqualTo(4);
  }

  @Test
  void crashedPrimaryIsReplacedByAViewChange() {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    s.apply(new Choice("crash", "node-0"));
    s.apply(new Choice("request", "retry"));
    while (!s.inFlight().isEmpty()) {
      s.step();
    }
    for (String n : List.of("node-1", "node-2", "node-3")) {
      assertThat(s.replica(n).timer()).as(n).startsWith("running");
      s.apply(new Choice("timer", n));
    }
    boolean done = s.runUntilCommitted(1);
    assertThat(done).isTrue();
    for (String n : List.of("node-1", "node-2", "node-3")) {
      ReplicaView r = s.replica(n);
      assertThat(r.view()).as(n).isEqualTo(1);
      assertThat(r.primary()).isEqualTo("node-1");
      assertThat(r.role()).isEqualTo(n.equals("node-1") ? "primary" : "backup");
    }
    assertThat(s.replica("node-0").role()).isEqualTo("crashed");
    assertThat(s.replica("node-2").slot(1)).get().satisfies(x -> {
      assertThat(x.phase()).isEqualTo("committed-local");
      assertThat(x.commits()).isGreaterThanOrEqualTo(3);
    });
    assertThat(String.join("\n", s.narration())).contains("installs view 1 with primary node-1");
  }

  @Test
  void aSavedScheduleReplaysToTheSameTrace(@TempDir Path dir) throws Exception {
    Stepper s = new Stepper(StepConfig.normalCase(SEED));
    s.apply(new Choice("dup", "1"));
    for (int i = 0; i < 12; i++) {
      s.step();
    }
    Path f = dir.resolve("run.schedule");
    s.save(f);
    Stepper loaded = Stepper.load(f);
    assertThat(loaded.position()).isEqualTo(s.position());
    assertThat(loaded.traceNdjson()).isEqualTo(s.traceNdjson());
  }
}
