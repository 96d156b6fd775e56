package org.bftlab.step;

import java.util.List;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.sim.SimKeys;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.sim.scenario.StepPlan;

/**
 * What a stepped run is made of, read once: n replicas, the seed (keys and workload), how many
 * client requests the client may send, and the signature scheme.
 *
 * @param name a label (the scenario's name, or {@code normal-case})
 * @param n replicas, 3f+1 >= 4
 * @param seed the seed of keys and workload
 * @param requests client requests available to {@code request} (>= 1)
 * @param scheme signatures: MAC (fast, default) or ED25519
 * @param ignored what of a scenario file the stepper does not apply, with why (told to the
 *     student)
 * @param faults the scenario's faults as choices applied when virtual time reaches their tick
 *     (tick 0: before the client's first request), in order
 */
public record StepConfig(String name, int n, long seed, int requests, SimKeys.Scheme scheme,
    List<String> ignored, List<Fault> faults) {
  /**
   * A fault the scenario schedules.
   *
   * @param tick the virtual time at which it applies (the stepper's ticks)
   * @param choice what it does, e.g. {@code crash node-0}
   */
  public record Fault(long tick, Choice choice) {
    @Override
    public String toString() {
      return tick + " " + choice;
    }
  }

  /** Ticks a backup waits for a pending request before its view-change timer expires (T). */
  public static final int VIEW_CHANGE_TIMEOUT_TICKS = 10;

  public StepConfig {
    if (n < 4 || (n - 1) % 3 != 0) {
      throw new IllegalArgumentException("PBFT needs n = 3f+1 >= 4 replicas, got n = " + n);
    }
    if (requests < 1) {
      throw new IllegalArgumentException("requests must be >= 1, got " + requests);
    }
    ignored = List.copyOf(ignored);
    faults = List.copyOf(faults);
  }

  /** Without scheduled faults. */
  public StepConfig(String name, int n, long seed, int requests, SimKeys.Scheme scheme,
      List<String> ignored) {
    this(name, n, seed, requests, scheme, ignored, List.of());
  }

  /**
   * The paper's Figure 1: n = 4 and one client request sent to the primary; the client holds two
   * more for the student to send ({@code request}), e.g. after crashing the primary.
   */
  public static StepConfig normalCase(long seed) {
    return new StepConfig("normal-case", 4, seed, 3, SimKeys.Scheme.MAC, List.of());
  }

  /**
   * From a scenario file: its cluster size, scheme and number of transactions (at most 50), and
   * its faults as scheduled choices ({@link StepPlan}: crash, restart, amnesia, silent /
   * equivocating / forging nodes, partitions); what the stepper cannot apply is listed in
   * {@link #ignored} with the reason.
   */
  public static StepConfig fromScenario(Scenario s, Long seedOverride) {
    long seed = seedOverride != null ? seedOverride : s.defaultSeed();
    int n = s.cluster() == null ? 4 : s.cluster().nodes();
    SimKeys.Scheme scheme = s.cluster() == null || s.cluster().scheme() == null
        ? SimKeys.Scheme.MAC : s.cluster().scheme();
    int requests = s.workload() == null ? 1 : Math.max(1, Math.min(50, s.workload().transactions()));
    StepPlan plan = StepPlan.of(s);
    List<Fault> faults = plan.planned().stream()
        .map(p -> new Fault(p.tick(), Choice.parse(p.choice()))).toList();
    return new StepConfig(s.name(), n, seed, requests, scheme, plan.refused(), faults);
  }

  /**
   * The protocol parameters of a stepped run: batches of one request proposed at once, K = 2,
   * L = 4, a view-change timeout T of {@value #VIEW_CHANGE_TIMEOUT_TICKS} ticks, and
   * retransmission and re-announcement periods long enough (1000 ticks) that a student's ticks
   * do not fill the in-flight list with copies.
   */
  public ProtocolParams params() {
    return new ProtocolParams("step", NodeId.range(n), 1, 0, 2, 4, 1000, 64 * 1024, 4,
        VIEW_CHANGE_TIMEOUT_TICKS, 1000, ProtocolParams.DEFAULT_STATE_TRANSFER_BATCH);
  }
}
