package org.bftlab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bftlab.core.model.ClientId;
import org.junit.jupiter.api.Test;

/** {@link Workload#generateWithConflicts}: the pairs' shape, and the base workload kept intact. */
class WorkloadConflictsTest {
  static final List<ClientId> CLIENTS = List.of(new ClientId("client-0"),
      new ClientId("client-1"), new ClientId("client-2"));

  @Test
  void pairsSpendAMintedAccountFromTheMintsVersionAndTheReplayStaysBehindItsOriginal() {
    for (long seed = 0; seed < 50; seed++) {
      Workload w = Workload.generateWithConflicts(seed, CLIENTS, 60, 5);
      assertThat(w.steps()).as("seed " + seed).hasSize(60);
      assertThat(w).usingRecursiveComparison().isEqualTo(
          Workload.generateWithConflicts(seed, CLIENTS, 60, 5));
      for (int i = 0; i < w.steps().size(); i++) {
        assertThat(w.steps().get(i).index()).isEqualTo(i);
      }
      Map<String, List<Workload.Step>> pairs = w.steps().stream()
          .filter(s -> s.kind() == Workload.Kind.DOUBLE_SPEND)
          .collect(Collectors.groupingBy(Workload.Step::readAccount));
      assertThat(pairs).as("seed " + seed).hasSize(5).allSatisfy((acct, steps) -> {
        assertThat(steps).hasSize(2);
        for (Workload.Step s : steps) {
          Workload.Step mint = w.steps().get(s.readVersionOf());
          assertThat(s.readVersionOf()).isLessThan(w.setupCount());
          assertThat(mint.args()).containsExactly(acct,
              Long.toString(Workload.DOUBLE_SPEND_AMOUNT));
          assertThat(s.args()).containsExactly(acct, s.args().get(1),
              Long.toString(Workload.DOUBLE_SPEND_AMOUNT));
          assertThat(Workload.ownerOf(acct)).isEqualTo(CLIENTS.get(s.clientIndex()).value());
        }
      });
      Workload.Step replay = w.replay();
      Workload.Step original = w.steps().get(replay.replayOf());
      assertThat(replay.replayOf()).as("seed " + seed).isEqualTo(replay.index() - 1);
      assertThat(original.clientIndex()).isEqualTo(replay.clientIndex());
      assertThat(original.args().subList(0, 2)).isEqualTo(replay.args().subList(0, 2));
    }
  }
}
