package org.bftlab.step;

import java.util.List;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Verdict;

/**
 * The invariant badges of a stepped run: the simulator's verdict ({@link Verdict}) in the
 * stepper's words, with the step that first broke safety.
 *
 * @param safety {@code safe} or {@code UNSAFE}
 * @param liveness {@code live}, {@code pending} (requests not yet committed, bound not passed),
 *     {@code NOT live} (bound passed) or {@code not judged} (beyond the fault model)
 * @param faultModel {@code within} or {@code beyond}
 * @param faulty the nodes counted toward f
 * @param detail the first violation, or why liveness is pending / not judged; "" if none
 * @param violationStep the step whose choice first made the run unsafe, -1 if safe
 * @param violationAt what that step did, e.g. {@code deliver 57: COMMIT (v=1, n=1) node-2 → node-3}
 */
public record Badges(String safety, String liveness, String faultModel, List<String> faulty,
    String detail, int violationStep, String violationAt) {
  public static Badges of(Verdict v, long now, int violationStep, String violationAt) {
    String detail = "";
    for (CheckResult c : v.checks()) {
      if (!c.ok() && !c.name().equals("liveness") && detail.isEmpty()) {
        detail = c.name() + ": " + (c.violations().isEmpty() ? "" : c.violations().get(0));
      }
    }
    String live;
    if (!v.livenessJudged()) {
      live = "not judged";
      detail = detail.isEmpty() ? v.livenessNote() : detail;
    } else if (v.live()) {
      live = "live";
    } else {
      List<String> why = v.check("liveness").violations();
      boolean overdue = why.stream().anyMatch(s -> s.contains("after its deadline")
          || deadlinePassed(s, now));
      live = overdue ? "NOT live" : "pending";
      detail = detail.isEmpty() && !why.isEmpty() ? why.get(0) : detail;
    }
    return new Badges(v.safe() ? "safe" : "UNSAFE", live, v.faultModel(), v.faultyNodes(),
        detail, v.safe() ? -1 : violationStep, v.safe() ? "" : violationAt);
  }

  /** "… never committed; deadline D, run ended at E": overdue when now > D. */
  private static boolean deadlinePassed(String violation, long now) {
    int i = violation.indexOf("deadline ");
    if (i < 0) {
      return false;
    }
    String rest = violation.substring(i + 9).split("[ ,]")[0];
    try {
      return now > Long.parseLong(rest);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
