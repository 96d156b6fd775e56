/**
 * Network faults at the transport boundary (DESIGN.md §4): a pure rule engine ({@link
 * org.bftlab.transport.fault.FaultPlan}) that decides, for one message, whether it is delivered,
 * dropped, delayed or duplicated — drop, delay (fixed / uniform / exponential), duplicate,
 * reorder, partition (symmetric and one-way), isolate — each filtered by sender, receiver,
 * message type and a time window in ticks; and a {@link org.bftlab.transport.Transport} decorator
 * ({@link org.bftlab.transport.fault.FaultyTransport}) that applies a plan through a pluggable
 * clock and scheduler. The simulator uses the same plan directly on its virtual network.
 * Everything here counts time in ticks; randomness comes from a caller-supplied seeded generator.
 */
package org.bftlab.transport.fault;
