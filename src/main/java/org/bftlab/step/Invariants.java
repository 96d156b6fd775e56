package org.bftlab.step;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bftlab.core.msg.Authenticator;
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
}
