package org.bftlab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bftlab.core.model.NodeId;
import org.bftlab.transport.fault.FaultPlan;

/**
 * Everything that goes wrong in one simulated run: network rules and process/storage faults.
 *
 * @param network the network rules (virtual time windows in ticks)
 * @param process process and storage faults, each at its tick
 */
public record FaultSchedule(FaultPlan network, List<ProcessFault> process) {
  /** No faults. */
  public static final FaultSchedule NONE = new FaultSchedule(FaultPlan.NONE, List.of());

  public FaultSchedule {
    process = List.copyOf(process);
  }

  /** Only network rules. */
  public static FaultSchedule of(FaultPlan network) {
    return new FaultSchedule(network, List.of());
  }

  /** Only process faults. */
  public static FaultSchedule of(ProcessFault... process) {
    return new FaultSchedule(FaultPlan.NONE, List.of(process));
  }

  /** This schedule plus {@code more} process faults. */
  public FaultSchedule with(ProcessFault... more) {
    List<ProcessFault> all = new ArrayList<>(process);
    all.addAll(List.of(more));
    return new FaultSchedule(network, all);
  }

  /** The last tick at which anything is scheduled to change (a fault or a heal); 0 if none. */
  public long lastChange() {
    long t = network.lastHeal().orElse(0);
    for (ProcessFault f : process) {
      t = Math.max(t, f instanceof ProcessFault.Pause p ? p.until() : f.at());
    }
    return t;
  }

  /** Nodes hit by a process fault that counts toward f (everything but pause). */
  public Set<NodeId> faultyNodes() {
    Set<NodeId> s = new TreeSet<>();
    for (ProcessFault f : process) {
      if (!(f instanceof ProcessFault.Pause)) {
        s.add(f.node());
      }
    }
    return s;
  }
}
