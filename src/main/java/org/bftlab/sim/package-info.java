/**
 * The deterministic simulator (DESIGN.md §1, §4): n nodes' real core components (election,
 * agreement, block commit) run in one thread on virtual time counted in ticks, with a seeded
 * scheduler ({@link java.util.SplittableRandom} only, never a wall clock), a virtual network
 * that applies {@link org.bftlab.transport.fault.FaultPlan} rules, an in-memory checksummed
 * journal per component, process and storage faults ({@link org.bftlab.sim.ProcessFault}),
 * seeded clients, and a {@link org.bftlab.trace.Trace} that the checkers in
 * {@link org.bftlab.sim.check} judge. Entry points: {@link org.bftlab.sim.Simulation} (fluent
 * builder) and {@link org.bftlab.sim.SeedProperty} (a property over many seeds).
 */
package org.bftlab.sim;
