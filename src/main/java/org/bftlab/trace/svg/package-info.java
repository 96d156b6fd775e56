/**
 * The picture of a run (DESIGN.md §5): an SVG sequence (Lamport) diagram drawn from a {@link
 * org.bftlab.trace.Trace} alone — one vertical lane per node (and one for the clients), virtual
 * time in ticks downward, every message an arrow from its send to its delivery, coloured and
 * labelled by (view, seqNo), with the points where a replica became <i>prepared</i> and
 * <i>committed-local</i>, and lost messages as arrows ending in ✕: Figure 1 of the PBFT paper
 * for a real run. {@link org.bftlab.trace.svg.SequenceDiagram} renders it.
 */
package org.bftlab.trace.svg;
