package org.bftlab.step;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Checkers;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * The simulator's checkers ({@link Checkers}, one implementation) over a stepped run's trace so
 * far. A stepped run has no end: its RUN line is judged with the requests sent so far as the
 * workload (the client holds the rest back until the student sends them) and a liveness bound of
 * {@value #LIVENESS_BOUND_TICKS} ticks; a request not yet committed by f+1 replicas is
 * <i>pending</i> until that bound has passed since it was sent (or since the last heal).
 */
final class Invariants {
  /** Ticks after a request (or the last heal) within which liveness expects it committed. */
  static final long LIVENESS_BOUND_TICKS = 40;

  private Invariants() {}

  /** The checkers' verdict on {@code trace} (a stepped run's, first line RUN). */
  static Verdict judge(Trace trace, Authenticator verifier) {
    List<TraceEvent> lines = trace.events();
    Set<String> sent = new HashSet<>();
    for (TraceEvent e : lines) {
      if (e.is(Kind.SUBMIT)) {
        sent.add(e.detail());
      }
    }
    RunInfo run = (RunInfo) lines.get(0).data();
    Trace judged = new Trace();
    TraceEvent first = lines.get(0);
    judged.add(first.tick(), Kind.RUN, first.node(), first.component(), first.name(),
        first.peer(), first.detail(), new RunInfo(run.seed(), run.n(), run.f(), run.clusterId(),
            run.scheme(), sent.size(), sent.size(), LIVENESS_BOUND_TICKS));
    for (TraceEvent e : lines.subList(1, lines.size())) {
      judged.add(e.tick(), kind(e), e.node(), e.component(), e.name(), e.peer(), e.detail(),
          e.data());
    }
    return Checkers.judge(judged, verifier);
  }

  private static Kind kind(TraceEvent e) {
    for (Kind k : Kind.values()) {
      if (e.is(k)) {
        return k;
      }
    }
    throw new IllegalStateException("unknown trace kind " + e.kind());
  }

  /**
   * The badges of a verdict.
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
  record Badges(String safety, String liveness, String faultModel, List<String> faulty,
      String detail, int violationStep, String violationAt) {
    static Badges of(Verdict v, long now, int violationStep, String violationAt) {
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
}
