package org.bftlab.sim;

import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.Trace;

/**
 * The outcome of one simulated run.
 *
 * @param config what was run
 * @param verdict the checkers' judgement
 * @param trace every line of the run (NDJSON through {@link Trace#write})
 * @param endTick the tick the run stopped at
 */
public record SimulationResult(SimConfig config, Verdict verdict, Trace trace, long endTick) {}
