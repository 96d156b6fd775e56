/**
 * Scenario files (DESIGN.md §4): a YAML description of one simulated experiment — cluster size,
 * workload, a fault timeline (network rules with windows in ticks, process faults at ticks,
 * Byzantine nodes with strategies), the seed, and what must happen ({@code safety: hold},
 * {@code liveness: {withinTicks: X}} after the last heal, or {@code violation: detected} for a
 * run beyond the fault model). {@link org.bftlab.sim.scenario.ScenarioLoader} reads a file with
 * errors that name the field and the line; {@link org.bftlab.sim.scenario.ScenarioRunner} builds
 * a {@link org.bftlab.sim.Simulation} from it and judges the expectations for one seed. The
 * shipped scenarios live in the top-level {@code scenarios/} directory.
 */
package org.bftlab.sim.scenario;
