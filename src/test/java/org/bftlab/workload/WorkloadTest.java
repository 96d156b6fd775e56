package org.bftlab.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final List<ClientId> CLIENTS =
      List.of(new ClientId("client-0"), new ClientId("client-1"), new ClientId("client-2"));

  @Test
  void theSameSeedGivesTheSameStepsAndAnotherSeedOthers() {
    assertThat(Workload.generate(7, CLIENTS, 500).steps())
        .isEqualTo(Workload.generate(7, CLIENTS, 500).steps());
    assertThat(Workload.generate(8, CLIENTS, 500).steps())
        .isNotEqualTo(Workload.generate(7, CLIENTS, 500).steps());
  }

  @Test
  void mintsFirstThenTransfersSignedByTheOwnerOfFrom() {
    Workload w = Workload.generate(3, CLIENTS, 200);
    assertThat(w.steps()).hasSize(200);
    assertThat(w.setupCount()).isEqualTo(CLIENTS.size() * Workload.ACCOUNTS_PER_CLIENT);
    assertThat(w.setupSteps()).allSatisfy(s -> {
      assertThat(s.kind()).isEqualTo(Workload.Kind.MINT);
      assertThat(s.operation()).isEqualTo("mint");
      assertThat(Workload.ownerOf(s.args().get(0))).isEqualTo(CLIENTS.get(s.clientIndex()).value());
      assertThat(s.args().get(1)).isEqualTo(Long.toString(w.mintAmount()));
    });
    assertThat(w.accounts()).contains("client-0", "client-0:acct1", "client-2:acct1");
    assertThat(w.mainSteps()).allSatisfy(s -> {
      assertThat(s.kind()).isNotEqualTo(Workload.Kind.MINT);
      assertThat(s.contract()).isEqualTo("token");
      assertThat(s.operation()).isEqualTo("transfer");
      assertThat(Workload.ownerOf(s.args().get(0))).isEqualTo(CLIENTS.get(s.clientIndex()).value());
      assertThat(s.args().get(1)).isNotEqualTo(s.args().get(0));
      assertThat(w.accounts()).contains(s.args().get(0), s.args().get(1));
    });
    for (int i = 0; i < w.steps().size(); i++) {
      assertThat(w.steps().get(i).index()).isEqualTo(i);
    }
    // No ordering of the normal transfers can overdraw an account.
    long outgoingBound = w.mainSteps().stream().filter(s -> s.kind() != Workload.Kind.OVERDRAFT)
        .mapToLong(s -> Long.parseLong(s.args().get(2))).sum();
    assertThat(outgoingBound).isLessThanOrEqualTo(w.mintAmount());
  }

  @Test
  void containsOverdraftsOfMoreThanTheTotalSupply() {
    Workload w = Workload.generate(11, CLIENTS, 1000);
    List<Workload.Step> overdrafts = w.steps().stream()
        .filter(s -> s.kind() == Workload.Kind.OVERDRAFT).toList();
    assertThat(overdrafts).hasSizeBetween(20, 90); // ~5% of 994 transfers
    assertThat(overdrafts).allSatisfy(s -> {
      assertThat(Long.parseLong(s.args().get(2))).isGreaterThan(w.totalSupply());
      assertThat(s.expected()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    });
    // Even a tiny workload has one.
    Workload tiny = Workload.generate(1, List.of(new ClientId("client-0")), 5);
    assertThat(tiny.count(Workload.Kind.OVERDRAFT)).isEqualTo(1);
  }

  @Test
  void containsExactlyOneReplayRightAfterItsOriginalWithAnotherPayload() {
    for (long seed = 0; seed < 50; seed++) {
      Workload w = Workload.generate(seed, CLIENTS, 8);
      assertThat(w.count(Workload.Kind.REPLAY)).isEqualTo(1);
      Workload.Step replay = w.replay();
      Workload.Step original = w.steps().get(replay.replayOf());
      assertThat(replay.replayOf()).isEqualTo(replay.index() - 1);
      assertThat(original.kind()).isEqualTo(Workload.Kind.TRANSFER);
      assertThat(replay.clientIndex()).isEqualTo(original.clientIndex());
      assertThat(replay.args()).isNotEqualTo(original.args());
      assertThat(replay.expected()).isEqualTo(ValidationCode.DUPLICATE_TXID);
      assertThat(w.steps().stream().filter(s -> s.replayOf() >= 0)).hasSize(1);
    }
  }

  @Test
  void tooFewTransactionsIsAClearError() {
    assertThatThrownBy(() -> Workload.generate(1, CLIENTS, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 8 transactions");
  }
}
