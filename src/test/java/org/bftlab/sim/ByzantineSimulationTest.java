package org.bftlab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.TraceEvent;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byzantine nodes in the simulator: every strategy within f keeps every safety check green; more
 * than f Byzantine nodes are labelled {@code beyond}, and twins of two nodes break safety — the
 * negative control that proves the checkers can fail.
 */
class ByzantineSimulationTest {
  static final NodeId N0 = new NodeId(0);
  static final NodeId N1 = new NodeId(1);
  static final NodeId N2 = new NodeId(2);
  static final NodeId N3 = new NodeId(3);

  static ByzantineNode byz(String strategy, NodeId node) {
    return new ByzantineNode(node, switch (strategy) {
      case "silent" -> new ByzantineSpec.Silent();
      case "equivocate" -> new ByzantineSpec.Equivocate(Set.of());
      case "mutate" -> new ByzantineSpec.Mutate(0.4);
      case "forge-signature" -> new ByzantineSpec.ForgeSignature(1.0);
      case "replay" -> new ByzantineSpec.Replay(0.3, 5);
      case "twin" -> new ByzantineSpec.Twin(Set.of(N3), false);
      default -> throw new IllegalArgumentException(strategy);
    });
  }

  static SimulationResult run(long seed, ByzantineNode... b) {
    return Simulation.nodes(4).seed(seed).transactions(24).livenessBound(200).maxTicks(400)
        .byzantine(b).run();
  }

  @ParameterizedTest
  @ValueSource(strings = {"silent", "equivocate", "mutate", "forge-signature", "replay", "twin"})
  void withinFTheStrategyNeverBreaksSafetyAsPrimaryOrBackup(String strategy) {
    SeedProperty.forSeeds(1, 6, seed -> {
      for (NodeId node : new NodeId[] {N0, N2}) {
        Verdict v = run(seed, byz(strategy, node)).verdict();
        assertThat(v.faultModel()).isEqualTo("within");
        assertThat(v.faultyNodes()).containsExactly(node.toString());
        assertThat(v.safe()).as(strategy + " at " + node + ": " + v.summary()).isTrue();
        if (!node.equals(N0) || strategy.equals("replay") || strategy.equals("forge-signature")) {
          // a Byzantine backup (or a primary that only replays / whose signatures are rejected)
          // cannot stop 2f+1 correct replicas; a lying primary needs the view change
          if (!node.equals(N0) || strategy.equals("replay")) {
            assertThat(v.live()).as(strategy + " at " + node + ": " + v.summary()).isTrue();
          }
        }
      }
    });
  }

  /**
   * The view change under attack: primary(0) is cut off for the first 100 ticks, so the replicas
   * change views; node-1 — primary(1), a VIEW-CHANGE sender and the one that must build the
   * NEW-VIEW — mutates or replays what it sends, its VIEW-CHANGEs and NEW-VIEWs included. One
   * Byzantine replica is within the fault model: no seed may break safety, and the messages of
   * the view change must really have been rewritten.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mutate", "replay", "forge-signature"})
  void viewChangeMessagesRewrittenByAByzantineNewPrimaryNeverBreakSafety(String strategy) {
    Set<String> rewritten = new TreeSet<>();
    SeedProperty.forSeeds(1, 9, seed -> {
      SimulationResult r = Simulation.nodes(4).seed(seed).transactions(16).maxTicks(900)
          .faults(FaultPlan.of(new NetworkRule.Isolate(Scope.window(0, 100), N0)))
          .byzantine(byz(strategy, N1)).run();
      Verdict v = r.verdict();
      assertThat(v.faultModel()).isEqualTo("within");
      assertThat(v.safe()).as(strategy + " seed " + seed + ": " + v.summary()).isTrue();
      r.trace().of(TraceEvent.Kind.SEND).stream()
          .filter(e -> e.detail() != null && e.detail().contains("(byzantine "))
          .filter(e -> "VIEW-CHANGE".equals(e.name()) || "NEW-VIEW".equals(e.name()))
          .forEach(e -> rewritten.add(e.name()));
    });
    System.out.println(strategy + ": view-change messages rewritten: " + rewritten);
    assertThat(rewritten).contains("VIEW-CHANGE", "NEW-VIEW");
  }

  @Test
  void equivocatingPrimaryNeverMakesBackupsCommitTwoDigestsForOneSeqNo() {
    SeedProperty.forSeeds(1, 11, seed -> {
      for (Set<NodeId> side : List.of(Set.<NodeId>of(), Set.of(N3), Set.of(N1, N2))) {
        SimulationResult r = Simulation.nodes(4).seed(seed).transactions(24).maxTicks(400)
            .byzantine(new ByzantineNode(N0, new ByzantineSpec.Equivocate(side))).run();
        assertThat(r.trace().of(TraceEvent.Kind.SEND)).as("the primary did equivocate")
            .anyMatch(e -> e.detail() != null && e.detail().contains("equivocation"));
        assertThat(r.verdict().check("agreement-seqno").status()).as(r.verdict().summary())
            .isEqualTo("pass");
        assertThat(r.verdict().check("agreement-height").status()).isEqualTo("pass");
      }
    });
  }

  @Test
  void equivocationToAMinorityStillCommitsEverything() {
    Verdict v = Simulation.nodes(4).seed(3).transactions(30)
        .byzantine(new ByzantineNode(N0, new ByzantineSpec.Equivocate(Set.of(N3)))).run()
        .verdict();
    assertThat(v.passed()).as(v.summary()).isTrue();
  }

  @Test
  void moreThanFByzantineNodesAreLabelledBeyond() {
    Verdict v = run(1, byz("equivocate", N0), byz("mutate", N1)).verdict();
    assertThat(v.faultModel()).isEqualTo("beyond");
    assertThat(v.faultyNodes()).containsExactly("node-0", "node-1");
    assertThat(v.check("liveness").status()).isEqualTo("skipped");
  }

  @Test
  void negativeControlTwinsOfTwoNodesBreakSafetyAndTheCheckersSayIt() {
    SeedProperty.forSeeds(1, 6, seed -> {
      Verdict v = run(seed, new ByzantineNode(N0, new ByzantineSpec.Twin(Set.of(N3), true)),
          new ByzantineNode(N1, new ByzantineSpec.Twin(Set.of(N3), true))).verdict();
      assertThat(v.faultModel()).isEqualTo("beyond");
      assertThat(v.safe()).as("2 twins of 4: node-2 and node-3 must diverge").isFalse();
      assertThat(v.check("agreement-seqno").violations()).isNotEmpty();
    });
  }

  @Test
  void twinRunsAsASecondInstanceWithItsOwnLane() {
    SimulationResult r = run(2, byz("twin", N0));
    assertThat(r.trace().events()).anyMatch(e -> "node-0'".equals(e.node())
        && e.is(TraceEvent.Kind.PERSISTED));
    assertThat(r.verdict().faultyNodes()).containsExactly("node-0");
  }

  @Test
  void byzantineRunsReplayExactlyFromTheSeed() {
    byte[] a = run(4, byz("mutate", N1)).trace().toNdjson();
    byte[] b = run(4, byz("mutate", N1)).trace().toNdjson();
    assertThat(a).isEqualTo(b);
  }
}
