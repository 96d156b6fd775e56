package org.bftlab.sim;

import java.util.Objects;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.model.NodeId;

/**
 * A process or storage fault at one node, at tick {@link #at()} (DESIGN.md §4). For the
 * fault-model label ({@link org.bftlab.sim.check.FaultModel}, Castro &amp; Liskov OSDI'99 §2) a
 * node hit by amnesia, truncation or corruption counts toward f, and so does a node crashed and
 * never restarted; a crash followed by a restart from an intact journal is a correct replica
 * recovering from stable storage, and a pause is slowness, which the asynchronous model allows.
 */
public sealed interface ProcessFault {
  /** The tick the fault happens. */
  long at();

  /** The node it hits. */
  NodeId node();

  /** Kill -9: volatile and in-memory state lost, in-flight sibling signals lost; the journal stays. */
  record Crash(NodeId node, long at) implements ProcessFault {
    public Crash {
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * Start a crashed node: fresh state, replay of every journal through {@code apply}, then
   * {@code recover()} — as the LevelDB-backed actors. A journal whose checksum fails makes the
   * node refuse to run: it stays down. No effect on a running node.
   */
  record Restart(NodeId node, long at) implements ProcessFault {
    public Restart {
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * The node neither receives nor ticks in [{@code at}, {@code until}) (a long GC pause, a
   * stopped container). Messages that arrive meanwhile are queued and delivered, in order, at
   * {@code until} when {@code keepMessages} (socket buffers survive), otherwise lost.
   */
  record Pause(NodeId node, long at, long until, boolean keepMessages) implements ProcessFault {
    public Pause {
      Objects.requireNonNull(node, "node");
      if (until < at) {
        throw new IllegalArgumentException("pause must end at or after it starts");
      }
    }
  }

  /** Every journal of the node is lost; takes effect at the next restart. */
  record Amnesia(NodeId node, long at) implements ProcessFault {
    public Amnesia {
      Objects.requireNonNull(node, "node");
    }
  }

  /**
   * The last {@code events} records of {@code component}'s journal are lost (a torn write);
   * {@code component} null = every component. Takes effect at the next restart.
   */
  record Truncate(NodeId node, long at, NodeRoute.Kind component, int events)
      implements ProcessFault {
    public Truncate {
      Objects.requireNonNull(node, "node");
      if (events < 1) {
        throw new IllegalArgumentException("truncate at least one event, got " + events);
      }
    }
  }

  /**
   * One stored record of {@code component}'s journal is altered: the record {@code fromEnd}
   * positions before the last (0 = the last). Detected by its checksum at the next restart.
   */
  record Corrupt(NodeId node, long at, NodeRoute.Kind component, int fromEnd)
      implements ProcessFault {
    public Corrupt {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(component, "component");
      if (fromEnd < 0) {
        throw new IllegalArgumentException("fromEnd must be >= 0, got " + fromEnd);
      }
    }
  }
}
