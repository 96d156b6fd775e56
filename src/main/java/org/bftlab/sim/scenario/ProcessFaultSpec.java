package org.bftlab.sim.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Locale;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.ProcessFault;

/**
 * A process or storage fault in a scenario file, named by {@code fault}, hitting {@code node} at
 * tick {@code at}. Components are {@code election}, {@code agreement}, {@code block-commit}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "fault")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ProcessFaultSpec.Crash.class, name = "crash"),
    @JsonSubTypes.Type(value = ProcessFaultSpec.Restart.class, name = "restart"),
    @JsonSubTypes.Type(value = ProcessFaultSpec.Pause.class, name = "pause"),
    @JsonSubTypes.Type(value = ProcessFaultSpec.Amnesia.class, name = "amnesia"),
    @JsonSubTypes.Type(value = ProcessFaultSpec.Truncate.class, name = "truncate"),
    @JsonSubTypes.Type(value = ProcessFaultSpec.Corrupt.class, name = "corrupt")})
public sealed interface ProcessFaultSpec {
  /** The node hit. */
  NodeId node();

  /** The fault it describes. */
  ProcessFault toFault();

  /** Kill -9 at {@code at}. */
  record Crash(NodeId node, long at) implements ProcessFaultSpec {
    public Crash {
      check(node, at);
    }

    @Override
    public ProcessFault toFault() {
      return new ProcessFault.Crash(node, at);
    }
  }

  /** Start a crashed node from its journal at {@code at}. */
  record Restart(NodeId node, long at) implements ProcessFaultSpec {
    public Restart {
      check(node, at);
    }

    @Override
    public ProcessFault toFault() {
      return new ProcessFault.Restart(node, at);
    }
  }

  /** Neither receives nor ticks in [{@code at}, {@code until}); messages kept or lost. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Pause(NodeId node, long at, long until, Boolean keepMessages)
      implements ProcessFaultSpec {
    public Pause {
      check(node, at);
      if (until < at) {
        throw new IllegalArgumentException("until (" + until + ") must be >= at (" + at + ")");
      }
    }

    @Override
    public ProcessFault toFault() {
      return new ProcessFault.Pause(node, at, until, !Boolean.FALSE.equals(keepMessages));
    }
  }

  /** Every journal lost (takes effect at the next restart). */
  record Amnesia(NodeId node, long at) implements ProcessFaultSpec {
    public Amnesia {
      check(node, at);
    }

    @Override
    public ProcessFault toFault() {
      return new ProcessFault.Amnesia(node, at);
    }
  }

  /** The last {@code events} records of {@code component} (absent: every component) lost. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Truncate(NodeId node, long at, String component, int events)
      implements ProcessFaultSpec {
    public Truncate {
      check(node, at);
      if (component != null) {
        kind(component);
      }
      if (events < 1) {
        throw new IllegalArgumentException("events must be >= 1, got " + events);
      }
    }

    @Override
    public ProcessFault toFault() {
      return new ProcessFault.Truncate(node, at, component == null ? null : kind(component),
          events);
    }
  }

  /** One record of {@code component}'s journal altered, {@code fromEnd} before the last. */
  record Corrupt(NodeId node, long at, String component, int fromEnd)
      implements ProcessFaultSpec {
    public Corrupt {
      check(node, at);
      kind(component);
      if (fromEnd < 0) {
        throw new IllegalArgumentException("fromEnd must be >= 0, got " + fromEnd);
      }
    }

    @Override
    public ProcessFault toFault() {
      return new ProcessFault.Corrupt(node, at, kind(component), fromEnd);
    }
  }

  private static void check(NodeId node, long at) {
    if (node == null) {
      throw new IllegalArgumentException("missing required field 'node'");
    }
    if (at < 0) {
      throw new IllegalArgumentException("at must be >= 0, got " + at);
    }
  }

  /** The component named {@code name}. */
  static NodeRoute.Kind kind(String name) {
    if (name == null) {
      throw new IllegalArgumentException("missing required field 'component'");
    }
    for (NodeRoute.Kind k : NodeRoute.Kind.values()) {
      if (k.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("component must be election, agreement or block-commit, "
        + "got '" + name + "'");
  }
}
