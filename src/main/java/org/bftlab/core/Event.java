package org.bftlab.core;

/**
 * Marker for every event of every component. Events are past-tense records named as the paper
 * names the transition (PrePrepareAccepted, Prepared, CommittedLocal, BlockCommitted,
 * CheckpointStable …); the same records are the trace lines tests compare (DESIGN.md §5).
 */
public interface Event {
  /**
   * An event that changes only volatile state (timers, the tick count, the primary's pool of
   * not-yet-proposed requests, rejections for the trace). The shell applies it in memory without
   * persisting it; after a restart volatile state starts fresh ({@link Component#initialState()}
   * values), exactly as PBFT keeps these out of the stable log.
   */
  interface Volatile extends Event {}
}
