package org.bftlab.sim.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.bftlab.core.model.NodeId;
import org.bftlab.transport.fault.NetworkRuleSpec;

/**
 * A scenario's faults as the interventions of a stepped run ({@code bftlab step --scenario}),
 * in the stepper's choice syntax, each at the tick the scenario names: crash, restart and
 * amnesia at their ticks; {@code silent}, {@code equivocate} and {@code forge-signature} (with
 * probability 1) Byzantine nodes at tick 0; partitions and isolations as {@code partition} at
 * their start and {@code heal} at their end. What the stepper cannot do is refused with the
 * reason — never skipped silently: pauses and journal truncation or corruption, the other
 * Byzantine strategies, probabilistic network rules (there the student decides every message's
 * fate), one-way partitions and rules limited to some message types.
 *
 * @param planned the interventions, by tick (stable: in the scenario's order within a tick)
 * @param refused one line per fault the stepper does not apply, with why
 */
public record StepPlan(List<Planned> planned, List<String> refused) {
  /**
   * One intervention.
   *
   * @param tick virtual time at which it applies (the stepper's ticks)
   * @param choice the choice's text form, e.g. {@code crash node-0}
   */
  public record Planned(long tick, String choice) {}

  public StepPlan {
    planned = List.copyOf(planned);
    refused = List.copyOf(refused);
  }

  /** The plan of {@code s}'s faults. */
  public static StepPlan of(Scenario s) {
    List<Planned> p = new ArrayList<>();
    List<String> no = new ArrayList<>();
    Scenario.Faults f = s.faultsOrNone();
    for (ByzantineEntry b : f.byzantineNodes()) {
      if (b instanceof ByzantineEntry.Silent x) {
        p.add(new Planned(0, "byzantine " + x.node() + " silent"));
      } else if (b instanceof ByzantineEntry.Equivocate x) {
        p.add(new Planned(0, "byzantine " + x.node() + " equivocate"
            + (x.variantTo() == null || x.variantTo().isEmpty() ? ""
                : " " + nodes(x.variantTo()))));
      } else if (b instanceof ByzantineEntry.ForgeSignature x
          && (x.probability() == null || x.probability() >= 1.0)) {
        p.add(new Planned(0, "byzantine " + x.node() + " forge-signature"));
      } else {
        no.add("byzantine " + b.node() + " " + b.spec().name() + ": the stepper runs silent,"
            + " equivocate and forge-signature (probability 1) only");
      }
    }
    for (ProcessFaultSpec pf : f.processFaults()) {
      if (pf instanceof ProcessFaultSpec.Crash x) {
        p.add(new Planned(x.at(), "crash " + x.node()));
      } else if (pf instanceof ProcessFaultSpec.Restart x) {
        p.add(new Planned(x.at(), "restart " + x.node()));
      } else if (pf instanceof ProcessFaultSpec.Amnesia x) {
        p.add(new Planned(x.at(), "amnesia " + x.node()));
      } else {
        no.add(pf + ": the stepper has no pause, truncation or corruption (crash, restart and"
            + " amnesia only)");
      }
    }
    for (NetworkRuleSpec r : f.networkRules()) {
      if (r instanceof NetworkRuleSpec.Partition x && x.types() == null) {
        window(p, x.from(), x.until(),
            x.groups().stream().map(StepPlan::nodes).collect(Collectors.joining("|")));
      } else if (r instanceof NetworkRuleSpec.Isolate x && x.types() == null) {
        window(p, x.from(), x.until(), x.node().toString());
      } else {
        no.add("network rule " + r + ": in the stepper the student decides each message's fate"
            + " (deliver, drop, dup, delay); only whole partitions and isolations are scheduled");
      }
    }
    p.sort(Comparator.comparingLong(Planned::tick));
    return new StepPlan(p, no);
  }

  private static void window(List<Planned> p, Long from, Long until, String groups) {
    p.add(new Planned(from == null ? 0 : from, "partition " + groups));
    if (until != null) {
      p.add(new Planned(until, "heal"));
    }
  }

  private static String nodes(List<NodeId> ids) {
    return ids.stream().map(NodeId::toString).collect(Collectors.joining(","));
  }
}
