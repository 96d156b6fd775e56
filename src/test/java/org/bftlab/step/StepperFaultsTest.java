package org.bftlab.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
