package org.bftlab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.model.NodeId;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.fault.DelayDistribution;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;

/**
 * A seeded random fault schedule for campaigns, within the fault model: one victim node takes
 * every process fault and every targeted network fault (so at most one node is faulty, f >= 1);
 * all links may additionally see asynchrony — delay, duplication, reordering, light loss — in
 * bounded windows; and up to {@code correctCrashRestarts} other nodes crash and restart from
 * their intact journals, which a correct replica may do (Castro &amp; Liskov OSDI'99 §2; see
 * {@link org.bftlab.sim.check.FaultModel}). Every fault heals by {@code horizonTicks}.
 *
 * @param mayTouchPrimary when false the victim is a backup, never primary(0) = node-0; when
 *     true any node may be the victim (and any non-victim may be one
 *     of the crash-restarted correct replicas)
 * @param horizonTicks faults start and heal within [0, horizonTicks)
 * @param correctCrashRestarts at most this many correct replicas other than the victim crash
 *     once and restart from their intact journal (0 to this many, uniformly, per seed); drawn
 *     from a separate random stream, so the victim's faults for a seed do not depend on it
 */
public record RandomSchedule(boolean mayTouchPrimary, long horizonTicks,
    int correctCrashRestarts) {
  public RandomSchedule {
    if (horizonTicks < 10) {
      throw new IllegalArgumentException("horizonTicks must be >= 10, got " + horizonTicks);
    }
    if (correctCrashRestarts < 0) {
      throw new IllegalArgumentException("correctCrashRestarts must be >= 0, got "
          + correctCrashRestarts);
    }
  }

  /** A schedule in which no correct replica crashes. */
  public RandomSchedule(boolean mayTouchPrimary, long horizonTicks) {
    this(mayTouchPrimary, horizonTicks, 0);
  }

  /** The schedule for {@code seed} on {@code n} nodes. */
  public FaultSchedule generate(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x0FA17L);
    int first = mayTouchPrimary ? 0 : 1;
    NodeId victim = new NodeId(first + rnd.nextInt(n - first));
    Set<NodeId> others = new TreeSet<>(NodeId.range(n));
    others.remove(victim);
    List<NetworkRule> rules = new ArrayList<>(asynchrony(rnd));
    List<ProcessFault> process = new ArrayList<>();
    // one or two faults aimed at the victim
    int count = 1 + rnd.nextInt(2);
    for (int i = 0; i < count; i++) {
      Scope w = window(rnd);
      long at = w.fromTick();
      long heal = w.untilTick();
      switch (rnd.nextInt(9)) {
        case 0 -> rules.add(new NetworkRule.Isolate(w, victim));
        case 1 -> rules.add(new NetworkRule.Partition(w, List.of(Set.of(victim), others)));
        case 2 -> rules.add(new NetworkRule.OneWayPartition(w, Set.of(victim), others));
        case 3 -> rules.add(new NetworkRule.OneWayPartition(w, others, Set.of(victim)));
        case 4 -> rules.add(new NetworkRule.Drop(w.to(victim), 0.5));
        case 5 -> {
          process.add(new ProcessFault.Crash(victim, at));
          process.add(new ProcessFault.Restart(victim, heal));
        }
        case 6 -> process.add(new ProcessFault.Pause(victim, at, heal, rnd.nextBoolean()));
        case 7 -> {
          process.add(new ProcessFault.Crash(victim, at));
          process.add(rnd.nextBoolean() ? new ProcessFault.Amnesia(victim, at)
              : new ProcessFault.Truncate(victim, at, null, 1 + rnd.nextInt(5)));
          process.add(new ProcessFault.Restart(victim, heal));
        }
        default -> {
          process.add(new ProcessFault.Crash(victim, at));
          process.add(new ProcessFault.Corrupt(victim, at, NodeRoute.Kind.AGREEMENT,
              rnd.nextInt(3)));
          process.add(new ProcessFault.Restart(victim, heal));
        }
      }
    }
    crashRestartCorrect(seed, n, victim, process);
    return new FaultSchedule(new FaultPlan(rules), process);
  }

  /**
   * A Byzantine schedule for {@code seed} on {@code n} nodes, within the fault model: the one
   * faulty node (f = 1; any node, primary(0) included unless {@code mayTouchPrimary} is false)
   * runs a Byzantine strategy for the whole run — mutate, replay, forge-signature, silent, a twin,
   * or (as primary(0)) equivocate — instead of taking process faults. So that the view change
   * itself is attacked (the strategies rewrite VIEW-CHANGE, NEW-VIEW and STATUS too), a Byzantine
   * backup is paired, on three seeds in four, with a window in which primary(0) is cut off
   * (asynchrony: primary(0) stays correct) and the replicas change views. The asynchrony on
   * every link and the crash + restart of up to {@code correctCrashRestarts} correct replicas
   * are drawn as in {@link #generate}.
   */
  public FaultSchedule byzantine(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0xB1A5L);
    int first = mayTouchPrimary ? 0 : 1;
    NodeId victim = new NodeId(first + rnd.nextInt(n - first));
    List<NetworkRule> rules = new ArrayList<>(asynchrony(rnd));
    ByzantineSpec spec = switch (rnd.nextInt(victim.index() == 0 ? 7 : 6)) {
      case 0, 1 -> new ByzantineSpec.Mutate((2 + rnd.nextInt(4)) / 10.0);
      case 2 -> new ByzantineSpec.Replay(0.3, 1 + rnd.nextInt(10));
      case 3 -> new ByzantineSpec.ForgeSignature(0.5 + 0.5 * rnd.nextInt(2));
      case 4 -> new ByzantineSpec.Silent();
      case 5 -> new ByzantineSpec.Twin(Set.of(new NodeId(victim.index() == n - 1 ? 1 : n - 1)),
          false);
      default -> new ByzantineSpec.Equivocate(Set.of());
    };
    if (victim.index() != 0 && rnd.nextInt(4) != 0) {
      // while requests are still arriving, so that they time out at the backups
      long from = rnd.nextLong(Math.max(1, horizonTicks / 6));
      rules.add(new NetworkRule.Isolate(
          Scope.window(from, Math.min(horizonTicks, from + horizonTicks / 2 + rnd.nextLong(
              horizonTicks / 3))), new NodeId(0)));
    }
    List<ProcessFault> process = new ArrayList<>();
    crashRestartCorrect(seed, n, victim, process);
    return new FaultSchedule(new FaultPlan(rules), process,
        List.of(new ByzantineNode(victim, spec)));
  }

  /** Adds crash + restart (journal intact) of 0..correctCrashRestarts nodes other than victim. */
  private void crashRestartCorrect(long seed, int n, NodeId victim, List<ProcessFault> out) {
    if (correctCrashRestarts == 0) {
      return;
    }
    SplittableRandom rnd = new SplittableRandom(seed ^ 0xC2A5L);
    List<NodeId> candidates = new ArrayList<>();
    for (NodeId id : NodeId.range(n)) {
      if (!id.equals(victim) && (mayTouchPrimary || id.index() != 0)) {
        candidates.add(id);
      }
    }
    int count = rnd.nextInt(Math.min(correctCrashRestarts, candidates.size()) + 1);
    for (int i = 0; i < count; i++) {
      NodeId node = candidates.remove(rnd.nextInt(candidates.size()));
      Scope w = window(rnd);
      out.add(new ProcessFault.Crash(node, w.fromTick()));
      out.add(new ProcessFault.Restart(node, w.untilTick()));
    }
  }

  /** Asynchrony on every link: delay, duplication, reordering, light loss, each in a window. */
  private List<NetworkRule> asynchrony(SplittableRandom rnd) {
    List<NetworkRule> rules = new ArrayList<>();
    if (rnd.nextInt(2) == 0) {
      rules.add(new NetworkRule.Delay(window(rnd), new DelayDistribution.Uniform(0, 3)));
    }
    if (rnd.nextInt(3) == 0) {
      rules.add(new NetworkRule.Delay(window(rnd), new DelayDistribution.Exponential(2.0, 10)));
    }
    if (rnd.nextInt(2) == 0) {
      rules.add(new NetworkRule.Duplicate(window(rnd), 0.2, new DelayDistribution.Uniform(0, 4)));
    }
    if (rnd.nextInt(2) == 0) {
      rules.add(new NetworkRule.Reorder(window(rnd), 4));
    }
    if (rnd.nextInt(3) == 0) {
      rules.add(new NetworkRule.Drop(window(rnd), 0.05));
    }
    return rules;
  }

  private Scope window(SplittableRandom rnd) {
    long from = rnd.nextLong(horizonTicks / 2);
    long until = from + 5 + rnd.nextLong(horizonTicks / 2);
    return Scope.window(from, Math.min(until, horizonTicks));
  }
}
