package org.bftlab.transport.fault;

import java.util.Set;
import org.bftlab.core.model.NodeId;

/**
 * Which messages a rule applies to: sender, receiver, message type (the paper's name, e.g.
 * {@code PREPARE}, as {@link org.bftlab.core.msg.ProtocolMessage#type()}) and the time window
 * [{@code fromTick}, {@code untilTick}) in ticks. An empty set matches anything; the rule heals
 * at {@code untilTick} ({@link Long#MAX_VALUE}: never).
 *
 * @param senders matched senders; empty = any
 * @param receivers matched receivers; empty = any
 * @param types matched message types; empty = any
 * @param fromTick first tick the rule is active (inclusive)
 * @param untilTick tick at which the rule heals (exclusive)
 */
public record Scope(Set<NodeId> senders, Set<NodeId> receivers, Set<String> types, long fromTick,
    long untilTick) {
  public Scope {
    senders = Set.copyOf(senders);
    receivers = Set.copyOf(receivers);
    types = Set.copyOf(types);
    if (fromTick < 0 || untilTick < fromTick) {
      throw new IllegalArgumentException("need 0 <= from <= until, got [" + fromTick + ", "
          + untilTick + ")");
    }
  }

  /** Every message, forever. */
  public static Scope always() {
    return new Scope(Set.of(), Set.of(), Set.of(), 0, Long.MAX_VALUE);
  }

  /** Every message in [{@code from}, {@code until}) ticks. */
  public static Scope window(long from, long until) {
    return new Scope(Set.of(), Set.of(), Set.of(), from, until);
  }

  /** This scope restricted to senders {@code s}. */
  public Scope from(NodeId... s) {
    return new Scope(Set.of(s), receivers, types, fromTick, untilTick);
  }

  /** This scope restricted to receivers {@code r}. */
  public Scope to(NodeId... r) {
    return new Scope(senders, Set.of(r), types, fromTick, untilTick);
  }

  /** This scope restricted to message types {@code t} (e.g. {@code "COMMIT"}). */
  public Scope types(String... t) {
    return new Scope(senders, receivers, Set.of(t), fromTick, untilTick);
  }

  /** True when the rule is active at {@code now}. */
  public boolean activeAt(long now) {
    return now >= fromTick && now < untilTick;
  }

  /** True when active at {@code now} and the message matches sender, receiver and type. */
  public boolean matches(long now, NodeId from, NodeId to, String type) {
    return activeAt(now)
        && (senders.isEmpty() || senders.contains(from))
        && (receivers.isEmpty() || receivers.contains(to))
        && (types.isEmpty() || types.contains(type));
  }
}
