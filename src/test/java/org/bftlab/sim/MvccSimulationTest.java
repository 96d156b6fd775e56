package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.ledger.Version;
import org.bftlab.core.ledger.WorldState;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.TraceEvent;
import org.junit.jupiter.api.Test;

/**
 * Concurrent conflicting transfers in the deterministic simulator: pairs of transfers of a whole
 * balance built on the same read set ({@link Simulation#conflictPairs}). Exactly one of each pair
 * commits VALID, the other MVCC_READ_CONFLICT; no balance goes negative; every node ends with
 * the same chain and world state. Seeds are printed; a failing seed replays exactly.
 */
class MvccSimulationTest {
  static final int PAIRS = 6;

  @Test
  void exactlyOneOfEachDoubleSpendCommitsOnEverySeed() {
    SeedProperty.forSeeds(0, 12, seed -> {
      SimulationResult r = Simulation.nodes(4).seed(seed).transactions(60)
          .conflictPairs(PAIRS).latency(1, 3).run();
      Verdict v = r.verdict();
      assertThat(v.safe()).as("seed " + seed + ": " + v.summary()).isTrue();
      assertThat(v.live()).as("seed " + seed + ": " + v.summary()).isTrue();
      checkLedger(r, seed);
    });
  }

  @Test
  void withAFaultyScheduleTheDoubleSpendsStillResolveOnce() {
    long seed = 5;
    System.out.println("mvcc simulation with faults, seed " + seed);
    SimulationResult r = Simulation.nodes(4).seed(seed).transactions(60).conflictPairs(PAIRS)
        .livenessBound(CampaignTest.BOUND).faults(CampaignTest.SCHEDULE.generate(seed, 4)).run();
    assertThat(r.verdict().safe()).as(r.verdict().summary()).isTrue();
    checkLedger(r, seed);
  }

  /** Rebuilds each node's world state from its committed blocks and checks the pairs on it. */
  private static void checkLedger(SimulationResult r, long seed) {
    Map<String, List<BlockCommitted>> chains = new TreeMap<>();
    for (TraceEvent e : r.trace().of(TraceEvent.Kind.PERSISTED)) {
      if (e.data() instanceof BlockCommitted bc) {
        chains.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(bc);
      }
    }
    // nodes whose chain is contiguous from height 1 (no state-transfer gap); the run ends once
    // the clients have f+1 replies, so a node may be a block or two behind: compare prefixes
    chains.values().removeIf(c -> c.isEmpty() || c.get(0).block().height() != 1
        || c.get(c.size() - 1).block().height() != c.size());
    assertThat(chains).as("seed " + seed + ": nodes with the whole chain").hasSizeGreaterThan(2);
    int common = chains.values().stream().mapToInt(List::size).min().orElseThrow();
    Map<String, WorldState> worlds = new TreeMap<>();
    Map<String, WorldState> commonWorlds = new TreeMap<>();
    for (var chain : chains.entrySet()) {
      WorldState w = new WorldState();
      for (BlockCommitted bc : chain.getValue()) {
        if (bc.block().height() == common + 1) {
          commonWorlds.put(chain.getKey(), w.copy());
        }
        for (int i = 0; i < bc.effects().size(); i++) {
          w.apply(bc.effects().get(i).writes(), new Version(bc.block().height(), i));
        }
      }
      commonWorlds.putIfAbsent(chain.getKey(), w.copy());
      worlds.put(chain.getKey(), w);
      assertThat(chain.getValue().subList(0, common).stream().map(bc -> bc.block().hash()))
          .as("seed " + seed + ": same chain").containsExactlyElementsOf(chains.values()
              .iterator().next().subList(0, common).stream().map(bc -> bc.block().hash())
              .toList());
    }
    assertThat(commonWorlds.values().stream().map(WorldState::root).distinct())
        .as("seed " + seed + ": identical world state at height " + common).hasSize(1);
    String longestNode = chains.entrySet().stream()
        .max(java.util.Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
    WorldState world = worlds.get(longestNode);
    for (StateEntry e : world.entries()) {
      if (e.contract().equals("token")) {
        assertThat(Long.parseLong(e.value())).as("seed " + seed + ": " + e).isNotNegative();
      }
    }
    List<BlockCommitted> chain = chains.get(longestNode);
    Map<String, List<ValidationCode>> byAccount = new TreeMap<>();
    for (BlockCommitted bc : chain) {
      for (BlockEntry be : bc.block().entries()) {
        if (!be.transaction().readSet().isEmpty()) {
          byAccount.computeIfAbsent(be.transaction().readSet().get(0).key(),
              k -> new ArrayList<>()).add(be.code());
        }
      }
    }
    assertThat(byAccount).as("seed " + seed).hasSize(PAIRS);
    byAccount.forEach((acct, codes) -> assertThat(codes).as("seed " + seed + ": " + acct)
        .containsExactlyInAnyOrder(ValidationCode.VALID, ValidationCode.MVCC_READ_CONFLICT));
    for (var e : byAccount.keySet()) {
      assertThat(world.value("token", e)).as("seed " + seed + ": spent once").contains("0");
    }
  }
}
