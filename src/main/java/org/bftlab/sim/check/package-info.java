/**
 * Checkers (DESIGN.md §4): independent observers of a {@link org.bftlab.trace.Trace} — they read
 * trace lines only, never simulator or component internals — and the {@link
 * org.bftlab.sim.check.Verdict} they produce: agreement per seqNo and per block height, hash
 * chain and Merkle roots, validity, exactly-once per (client, timestamp), no self-equivocation,
 * and liveness after the last heal; labelled within or beyond the fault model.
 */
package org.bftlab.sim.check;
