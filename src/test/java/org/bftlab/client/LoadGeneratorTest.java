package org.bftlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.workload.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
  private FakeCluster cluster;
  private final List<BftlabClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(BftlabClient::close);
    cluster.close();
  }

  private LoadReport run(boolean acceptDuplicates, int transactions, AtomicLong progress)
      throws Exception {
    cluster = new FakeCluster(4);
    cluster.runTokenChain(acceptDuplicates);
    List<ClientId> ids = List.of(new ClientId("client-0"), new ClientId("client-1"));
    for (ClientId id : ids) {
      clients.add(new BftlabClient("bftlab-test", id, FakeCluster::sign, cluster.uris(), 1,
          Duration.ofSeconds(10), BftlabClient.Options.defaults()
              .withPolling(Duration.ofMillis(2), Duration.ofMillis(10))));
    }
    Workload w = Workload.generate(42, ids, transactions);
    return new LoadGenerator(clients, Duration.ofSeconds(10)).run(w, 8, 0, progress::set);
  }

  @Test
  void runsTheWorkloadAndCountsOutcomes() throws Exception {
    AtomicLong progress = new AtomicLong();
    LoadReport r = run(false, 120, progress);
    Workload w = Workload.generate(42, List.of(new ClientId("client-0"),
        new ClientId("client-1")), 120);
    int overdrafts = w.count(Workload.Kind.OVERDRAFT);

    assertThat(r.transactions()).isEqualTo(120);
    assertThat(r.submitted()).isEqualTo(120);
    // The fake chain commits at once, so the replay meets the gateway's 409.
    assertThat(r.rejectedAtGateway()).containsExactlyEntriesOf(
        Map.of("DUPLICATE_TXID", 1L));
    assertThat(r.committed()).isEqualTo(119);
    assertThat(r.timedOut()).isZero();
    assertThat(r.byValidationCode().get(ValidationCode.CONTRACT_REJECTED)).isEqualTo(overdrafts);
    assertThat(r.byValidationCode().get(ValidationCode.VALID)).isEqualTo(119 - overdrafts);
    assertThat(r.byKind().get("OVERDRAFT")).containsEntry("CONTRACT_REJECTED", (long) overdrafts);
    assertThat(r.byKind().get("REPLAY")).containsEntry("gateway:DUPLICATE_TXID", 1L);
    assertThat(r.byKind().get("MINT")).containsEntry("VALID", 4L);
    assertThat(r.replay()).startsWith("caught at the gateway");
    assertThat(r.p50Ms()).isPositive();
    assertThat(r.maxMs()).isGreaterThanOrEqualTo(r.p99Ms());
    assertThat(r.txPerSecond()).isPositive();
    assertThat(progress.get()).isEqualTo(119);
  }

  @Test
  void aReplayAcceptedByTheGatewayIsCountedAsDuplicateInTheChain() throws Exception {
    LoadReport r = run(true, 30, new AtomicLong());
    assertThat(r.rejectedAtGateway()).isEmpty();
    assertThat(r.committed()).isEqualTo(30);
    assertThat(r.byValidationCode()).containsEntry(ValidationCode.DUPLICATE_TXID, 1L);
    assertThat(r.byKind().get("REPLAY")).containsEntry("DUPLICATE_TXID", 1L);
    assertThat(r.replay()).startsWith("caught in the chain");
  }
}
