package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.bftlab.sim.check.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The simulator's debug switch ({@code -Dbftlab.sim.check-contracts=true} or {@link
 * Simulation#checkContracts}): every decide of every component of a faulty run is checked
 * (no state change outside events, same decision twice); the run stays safe and live.
 */
class ContractCheckSimulationTest {
  @Test
  void aRandomFaultyRunKeepsEveryContract() {
    long seed = 11;
    System.out.println("contract-checked simulation, seed " + seed);
    SimulationResult r = Simulation.nodes(4).seed(seed).transactions(12)
        .livenessBound(CampaignTest.BOUND).faults(CampaignTest.SCHEDULE.generate(seed, 4))
        .snapshotEvery(16).checkContracts(true).run();
    Verdict v = r.verdict();
    assertThat(v.safe()).as(v.summary()).isTrue();
    assertThat(v.live()).as(v.summary()).isTrue();
    assertThat(r.config().checkContracts()).isTrue();
  }
}
