package org.bftlab.sim.scenario;

import java.util.List;
import java.util.Optional;
import org.bftlab.sim.SimulationResult;
import org.bftlab.sim.check.Verdict;

/**
 * A scenario run for one seed.
 *
 * @param scenario the scenario's name
 * @param seed the seed
 * @param expectations each expectation's judgement, in file order
 * @param result the run (config, verdict, trace)
 */
public record ScenarioOutcome(String scenario, long seed, List<ExpectationResult> expectations,
    SimulationResult result) {
  public ScenarioOutcome {
    expectations = List.copyOf(expectations);
  }

  /** The checkers' verdict. */
  public Verdict verdict() {
    return result.verdict();
  }

  /** True when every expectation holds. */
  public boolean holds() {
    return expectations.stream().allMatch(ExpectationResult::holds);
  }

  /** The judgement of expectation {@code name}, if the scenario has it. */
  public Optional<ExpectationResult> expectation(String name) {
    return expectations.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
