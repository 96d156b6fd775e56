package org.bftlab.transport.fault;

import java.util.List;

/**
 * What the network does with one message: one entry per delivered copy, each the extra delay in
 * ticks on top of the link's own latency. Empty = dropped.
 *
 * @param copies extra delay of each delivered copy, in ticks (>= 0); empty when dropped
 * @param rule name of the rule that dropped, delayed or duplicated it; {@code null} when none did
 */
public record Fate(List<Long> copies, String rule) {
  /** Delivered once, no extra delay, no rule involved. */
  public static final Fate DELIVER = new Fate(List.of(0L), null);

  public Fate {
    copies = List.copyOf(copies);
  }

  /** Dropped by {@code rule}. */
  public static Fate dropped(String rule) {
    return new Fate(List.of(), rule);
  }

  /** True when no copy is delivered. */
  public boolean dropped() {
    return copies.isEmpty();
  }
}
