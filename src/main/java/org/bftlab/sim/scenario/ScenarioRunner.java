package org.bftlab.sim.scenario;

import org.bftlab.transport.fault.NetworkRuleSpec;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.sim.FaultSchedule;
import org.bftlab.sim.Simulation;
import org.bftlab.sim.SimulationResult;
import org.bftlab.sim.check.CheckResult;
import org.bftlab.sim.check.Verdict;
import org.bftlab.transport.fault.FaultPlan;

/** Builds a {@link Simulation} from a {@link Scenario} and judges its expectations. */
public final class ScenarioRunner {
  private ScenarioRunner() {}

  /** The simulation {@code s} describes, with {@code seed}. */
  public static Simulation simulation(Scenario s, long seed) {
    Scenario.Faults f = s.faultsOrNone();
    FaultSchedule schedule = new FaultSchedule(
        new FaultPlan(f.networkRules().stream().map(NetworkRuleSpec::toRule).toList()),
        f.processFaults().stream().map(ProcessFaultSpec::toFault).toList(),
        f.byzantineNodes().stream().map(ByzantineEntry::toNode).toList());
    Scenario.Cluster c = s.cluster();
    Scenario.WorkloadSpec w = s.workload();
    Simulation sim = Simulation.nodes(c.nodes()).seed(seed).clients(w.clients())
        .transactions(w.transactions()).faults(schedule)
        .latency(c.latencyTicks() == null ? 1 : c.latencyTicks(),
            c.jitterTicks() == null ? 1 : c.jitterTicks());
    if (c.scheme() != null) {
      sim.scheme(c.scheme());
    }
    if (w.spacingTicks() != null) {
      sim.clientSpacing(w.spacingTicks());
    }
    if (w.retryTicks() != null) {
      sim.clientRetry(w.retryTicks());
    }
    if (s.expect().liveness() != null) {
      sim.livenessBound(s.expect().liveness().withinTicks());
    }
    if (s.maxTicks() != null) {
      sim.maxTicks(s.maxTicks());
    }
    return sim;
  }

  /** Runs {@code s} with {@code seed} and judges every expectation. */
  public static ScenarioOutcome run(Scenario s, long seed) {
    SimulationResult r = simulation(s, seed).run();
    return new ScenarioOutcome(s.name(), seed, judge(s.expect(), r.verdict()), r);
  }

  /** Each expectation of {@code e} against {@code v}. */
  public static List<ExpectationResult> judge(Scenario.Expect e, Verdict v) {
    List<ExpectationResult> out = new ArrayList<>();
    if (e.safety() != null) {
      out.add(new ExpectationResult("safety", v.safe(), v.safe() ? "every safety check passes"
          : firstFailure(v)));
    }
    if (e.violation() != null) {
      out.add(new ExpectationResult("violation", !v.safe(), v.safe()
          ? "no safety check failed: the negative control did not trigger" : firstFailure(v)));
    }
    if (e.liveness() != null) {
      CheckResult l = v.check("liveness");
      boolean ok = "pass".equals(l.status());
      String detail = ok ? "every transaction committed within " + e.liveness().withinTicks()
          + " ticks after the last heal"
          : l.status() + ": " + (l.violations().isEmpty() ? "" : l.violations().get(0));
      out.add(new ExpectationResult("liveness", ok, detail));
    }
    if (e.faultModel() != null) {
      out.add(new ExpectationResult("faultModel", e.faultModel().equals(v.faultModel()),
          v.faultModel() + " (" + v.faultyNodes().size() + " faulty of f = " + v.f() + ": "
              + v.faultyNodes() + (v.crashRecovered().isEmpty() ? ""
                  : "; crash-recovered, correct: " + v.crashRecovered()) + ")"));
    }
    return out;
  }

  private static String firstFailure(Verdict v) {
    for (CheckResult c : v.checks()) {
      if (!c.ok() && !c.name().equals("liveness")) {
        return c.name() + ": " + (c.violations().isEmpty() ? "failed" : c.violations().get(0));
      }
    }
    return "no safety check failed";
  }
}
