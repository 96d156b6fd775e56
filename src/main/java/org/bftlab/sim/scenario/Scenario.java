package org.bftlab.sim.scenario;

import org.bftlab.transport.fault.NetworkRuleSpec;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.bftlab.sim.SimKeys;

/**
 * One scenario file. Times are in ticks. YAML shape:
 *
 * <pre>
 * name: equivocating-primary
 * description: node-0 sends different PRE-PREPAREs to two halves of the backups.
 * seed: 7
 * cluster: {nodes: 4, scheme: MAC, latencyTicks: 1, jitterTicks: 1}
 * workload: {clients: 2, transactions: 30}
 * faults:
 *   network:
 *     - {rule: drop, probability: 0.2, from: 10, until: 60, types: [PREPARE]}
 *   process:
 *     - {fault: crash, node: node-2, at: 20}
 *     - {fault: restart, node: node-2, at: 80}
 *   byzantine:
 *     - {node: node-0, strategy: equivocate}
 * expect:
 *   safety: hold
 *   liveness: {withinTicks: 400, needsViewChange: true}
 * </pre>
 *
 * @param name a short name (the file's base name by convention)
 * @param description what the scenario shows, for humans
 * @param seed the default seed (1 when absent); the CLI's {@code --seed/--seeds} override it
 * @param cluster cluster size and links
 * @param workload clients and transactions
 * @param faults the fault timeline (absent: none)
 * @param expect what must happen
 * @param maxTicks hard stop (absent: the simulator's default)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Scenario(String name, String description, Long seed, Cluster cluster,
    WorkloadSpec workload, Faults faults, Expect expect, Long maxTicks) {
  public Scenario {
    require(name, "name");
    require(cluster, "cluster");
    require(workload, "workload");
    require(expect, "expect");
    if (maxTicks != null && maxTicks < 1) {
      throw new IllegalArgumentException("maxTicks must be >= 1, got " + maxTicks);
    }
  }

  /** The seed to run when none is given. */
  public long defaultSeed() {
    return seed == null ? 1 : seed;
  }

  /** The fault timeline, never null. */
  public Faults faultsOrNone() {
    return faults == null ? new Faults(null, null, null) : faults;
  }

  /**
   * @param nodes n = 3f+1 >= 4
   * @param scheme {@code MAC} (default) or {@code ED25519}
   * @param latencyTicks base link latency (default 1)
   * @param jitterTicks extra latency, uniform in [0, jitter] (default 1)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cluster(int nodes, SimKeys.Scheme scheme, Integer latencyTicks,
      Integer jitterTicks) {
    public Cluster {
      if (nodes < 4 || (nodes - 1) % 3 != 0) {
        throw new IllegalArgumentException("nodes must be 3f+1 >= 4 (4, 7, 10, ...), got "
            + nodes);
      }
      if (latencyTicks != null && latencyTicks < 1) {
        throw new IllegalArgumentException("latencyTicks must be >= 1, got " + latencyTicks);
      }
      if (jitterTicks != null && jitterTicks < 0) {
        throw new IllegalArgumentException("jitterTicks must be >= 0, got " + jitterTicks);
      }
    }
  }

  /**
   * @param clients signing clients (>= 1)
   * @param transactions workload size, setup mints included (>= 2 per client + 2)
   * @param spacingTicks ticks between planned submissions (default 1)
   * @param retryTicks a client resends an uncommitted request after this long (default 60)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WorkloadSpec(int clients, int transactions, Long spacingTicks, Long retryTicks) {
    public WorkloadSpec {
      if (clients < 1) {
        throw new IllegalArgumentException("clients must be >= 1, got " + clients);
      }
      if (transactions < 2 * clients + 2) {
        throw new IllegalArgumentException("transactions must be >= 2 * clients + 2 = "
            + (2 * clients + 2) + " (the setup mints), got " + transactions);
      }
      if (spacingTicks != null && spacingTicks < 0) {
        throw new IllegalArgumentException("spacingTicks must be >= 0, got " + spacingTicks);
      }
      if (retryTicks != null && retryTicks < 1) {
        throw new IllegalArgumentException("retryTicks must be >= 1, got " + retryTicks);
      }
    }
  }

  /**
   * The fault timeline; every list may be absent.
   *
   * @param network network rules, evaluated in order
   * @param process process and storage faults at their ticks
   * @param byzantine Byzantine nodes for the whole run
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Faults(List<NetworkRuleSpec> network, List<ProcessFaultSpec> process,
      List<ByzantineEntry> byzantine) {
    /** The network rules, never null. */
    public List<NetworkRuleSpec> networkRules() {
      return network == null ? List.of() : network;
    }

    /** The process faults, never null. */
    public List<ProcessFaultSpec> processFaults() {
      return process == null ? List.of() : process;
    }

    /** The Byzantine nodes, never null. */
    public List<ByzantineEntry> byzantineNodes() {
      return byzantine == null ? List.of() : byzantine;
    }
  }

  /**
   * What must happen in every run of the scenario.
   *
   * @param safety {@code hold}: every safety check passes
   * @param liveness every transaction commits within a bound after the last heal
   * @param violation {@code detected}: some safety check fails (a run beyond the fault model,
   *     proving the checkers can fail); excludes {@code safety}
   * @param faultModel {@code within} or {@code beyond}: the verdict's label must be this
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Expect(String safety, Liveness liveness, String violation, String faultModel) {
    public Expect {
      if (safety != null && !safety.equals("hold")) {
        throw new IllegalArgumentException("safety must be 'hold', got '" + safety + "'");
      }
      if (violation != null && !violation.equals("detected")) {
        throw new IllegalArgumentException("violation must be 'detected', got '" + violation
            + "'");
      }
      if (faultModel != null && !faultModel.equals("within") && !faultModel.equals("beyond")) {
        throw new IllegalArgumentException("faultModel must be 'within' or 'beyond', got '"
            + faultModel + "'");
      }
      if (safety != null && violation != null) {
        throw new IllegalArgumentException("'safety: hold' and 'violation: detected' exclude "
            + "each other");
      }
      if (safety == null && violation == null && liveness == null && faultModel == null) {
        throw new IllegalArgumentException("expect at least one of safety, liveness, violation, "
            + "faultModel");
      }
    }
  }

  /**
   * @param withinTicks every transaction commits within this many ticks after max(its
   *     submission, the last heal)
   * @param needsViewChange true when liveness needs a new primary (the primary is crashed,
   *     silent or Byzantine); documentation for the reader, judged like any liveness bound
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Liveness(long withinTicks, Boolean needsViewChange) {
    public Liveness {
      if (withinTicks < 1) {
        throw new IllegalArgumentException("withinTicks must be >= 1, got " + withinTicks);
      }
    }

    /** Whether this expectation needs the view change. */
    public boolean viewChangeNeeded() {
      return Boolean.TRUE.equals(needsViewChange);
    }
  }

  private static void require(Object v, String field) {
    if (v == null) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
  }
}
