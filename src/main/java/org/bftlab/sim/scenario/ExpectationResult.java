package org.bftlab.sim.scenario;

/**
 * One expectation of a scenario, judged on one run.
 *
 * @param name {@code safety}, {@code liveness}, {@code violation} or {@code faultModel}
 * @param holds whether the run met it
 * @param detail why (the first violation, the label found …)
 */
public record ExpectationResult(String name, boolean holds, String detail) {}
