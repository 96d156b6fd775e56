package org.bftlab.sim;

import org.bftlab.core.NodeRoute;
import org.bftlab.trace.TraceEvent.Kind;

/** Applies one {@link ProcessFault} to the simulator and traces it. */
final class FaultInjector {
  private final Simulator sim;

  FaultInjector(Simulator sim) {
    this.sim = sim;
  }

  void apply(ProcessFault f) {
    SimNode n = sim.node(f.node());
    String node = n.id.toString();
    if (f instanceof ProcessFault.Crash) {
      if (n.up) {
        sim.crash(n);
        line(Kind.CRASH, node, null, null);
      }
    } else if (f instanceof ProcessFault.Restart) {
      if (!n.up) {
        sim.start(n, false);
      }
    } else if (f instanceof ProcessFault.Pause p) {
      if (n.up && !n.paused) {
        n.paused = true;
        n.keepWhilePaused = p.keepMessages();
        line(Kind.PAUSE, node, null, "until " + p.until()
            + (p.keepMessages() ? ", messages queued" : ", messages lost"));
        long epoch = n.epoch;
        sim.control(p.until(), () -> {
          if (n.up && n.paused && n.epoch == epoch) {
            line(Kind.RESUME, node, null, n.held.size() + " queued deliveries");
            sim.resume(n);
          }
        });
      }
    } else if (f instanceof ProcessFault.Amnesia) {
      n.components.values().forEach(c -> c.journal.wipe());
      n.blocks.wipe();
      line(Kind.AMNESIA, node, null, "every journal lost");
    } else if (f instanceof ProcessFault.Truncate t) {
      for (SimComponent<?, ?> c : n.components.values()) {
        if (t.component() == null || t.component() == c.kind) {
          int removed = c.journal.truncate(t.events());
          line(Kind.TRUNCATE, node, SimComponent.name(c.kind), "last " + removed + " events lost");
        }
      }
    } else if (f instanceof ProcessFault.Corrupt c) {
      SimComponent<?, ?> comp = n.component(c.component());
      int index = comp.journal.size() - 1 - c.fromEnd();
      boolean done = comp.journal.corrupt(index);
      line(Kind.CORRUPT, node, SimComponent.name(c.component()),
          done ? "event #" + index + " altered" : "no event #" + index + "; nothing altered");
    }
  }

  private void line(Kind kind, String node, String component, String detail) {
    sim.trace().add(sim.now(), kind, node, component, null, null, detail, null);
  }

  static String name(NodeRoute.Kind k) {
    return SimComponent.name(k);
  }
}
