package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.client.PortabilityRun;
import org.bftlab.client.ReadSetTx;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.ledger.StateKey;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.workload.PortabilityWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MVCC validation on a live 4-node in-JVM cluster: concurrent transfers of the same balance built
 * on one read — exactly one VALID, the other MVCC_READ_CONFLICT, no balance negative — the
 * read–build–submit–retry helper, and the portability workload; every node ends with the same
 * chain and the same world-state entries. Run under the cluster lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class MvccClusterTest {
  private static final int NODES = 4;
  private static final int PAIRS = 4;
  private static final Duration T = ClusterSupport.COMMIT_TIMEOUT;

  private LocalCluster cluster;
  private List<BftlabClient> clients;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cluster = ClusterSupport.startNew(dir, NODES, 3, "bftlab-mvcc");
    clients = ClusterSupport.clients(cluster);
  }

  @AfterAll
  void stop() {
    if (clients != null) {
      clients.forEach(BftlabClient::close);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void concurrentDoubleSpendsBuiltOnOneReadCommitExactlyOnce() throws Exception {
    BftlabClient owner = clients.get(0);
    List<CompletableFuture<CommittedTx>> mints = new ArrayList<>();
    for (int p = 0; p < PAIRS; p++) {
      mints.add(owner.submitAndAwait(owner.newRequest("token", "mint", "client-0:ds" + p, "100"),
          T));
    }
    List<CompletableFuture<CommittedTx>> spends = new ArrayList<>();
    for (int p = 0; p < PAIRS; p++) {
      CommittedTx mint = mints.get(p).get();
      assertThat(mint.validationCode()).isEqualTo(ValidationCode.VALID);
      // the version of the account is where the client's own mint committed (f+1 replies)
      List<ReadEntry> read = List.of(new ReadEntry("token", "client-0:ds" + p,
          mint.blockHeight(), mint.txIndex()));
      Request a = owner.newRequest("token", "transfer",
          List.of("client-0:ds" + p, "client-1", "100"), read);
      Request b = owner.newRequest("token", "transfer",
          List.of("client-0:ds" + p, "client-2", "100"), read);
      spends.add(owner.submitAndAwait(a, T));
      spends.add(owner.submitAndAwait(b, T));
    }
    for (int p = 0; p < PAIRS; p++) {
      CommittedTx a = spends.get(2 * p).get();
      CommittedTx b = spends.get(2 * p + 1).get();
      log("pair %d: %s / %s (%s)", p, a.validationCode(), b.validationCode(),
          a.validationCode() == ValidationCode.VALID ? b.result() : a.result());
      assertThat(List.of(a.validationCode(), b.validationCode())).containsExactlyInAnyOrder(
          ValidationCode.VALID, ValidationCode.MVCC_READ_CONFLICT);
      String reason = (a.validationCode() == ValidationCode.VALID ? b : a).result();
      assertThat(reason).startsWith("read set stale: token/client-0:ds" + p + " read at version ");
    }
    assertSameStateEverywhere("token", "client-0:ds0", "client-1", "client-2");
    for (int p = 0; p < PAIRS; p++) {
      assertThat(clients.get(1).state("token", "client-0:ds" + p).get())
          .map(StateEntry::value).contains("0");
    }
    assertThat(clients.get(1).state("token", "client-1").get().map(StateEntry::value)
        .map(Long::parseLong).orElse(0L) + clients.get(1).state("token", "client-2").get()
        .map(StateEntry::value).map(Long::parseLong).orElse(0L)).isEqualTo(100L * PAIRS);
  }

  @Test
  @Order(2)
  void theRetryHelperCommitsBothConcurrentSpendsOfOneAccount() throws Exception {
    BftlabClient c1 = clients.get(1);
    c1.submitAndAwait(c1.newRequest("token", "mint", "client-1:r", "50"), T).get();
    StateKey k = new StateKey("token", "client-1:r");
    List<CompletableFuture<ReadSetTx.Result>> runs = new ArrayList<>();
    for (String to : List.of("client-0", "client-2")) {
      runs.add(ReadSetTx.run(c1, List.of(k), read -> {
        long bal = read.get(k).map(e -> Long.parseLong(e.value())).orElse(0L);
        return bal < 20 ? Optional.empty() : Optional.of(new ReadSetTx.Call("token", "transfer",
            List.of("client-1:r", to, "20")));
      }, 8, T));
    }
    for (CompletableFuture<ReadSetTx.Result> r : runs) {
      ReadSetTx.Result res = r.get();
      log("retry helper: %d attempt(s), conflicts %s", res.attempts(), res.conflicts());
      assertThat(res.valid()).as(res.toString()).isTrue();
      assertThat(res.conflicts()).hasSize(res.attempts() - 1)
          .allMatch(c -> c.startsWith("read set stale: token/client-1:r"));
    }
    assertSameStateEverywhere("token", "client-1:r");
    assertThat(c1.state("token", "client-1:r").get()).map(StateEntry::value).contains("10");
  }

  @Test
  @Order(3)
  void portabilityWorkloadEndsWithIdenticalHeads() throws Exception {
    long seed = 3;
    System.out.println("portability workload seed " + seed);
    PortabilityWorkload w = PortabilityWorkload.generate(seed,
        clients.stream().map(BftlabClient::clientId).toList(), 12);
    PortabilityRun.Report r = new PortabilityRun(clients::get, T).run(w);
    System.out.print(r.toText());
    assertThat(r.outcomes()).allMatch(o -> o.code() == ValidationCode.VALID
        || o.code() == ValidationCode.MVCC_READ_CONFLICT
        || o.code() == ValidationCode.CONTRACT_REJECTED);
    assertThat(r.outcomes()).filteredOn(o -> o.kind() == PortabilityRun.Kind.REGISTER)
        .hasSize(12).allMatch(o -> o.code() == ValidationCode.VALID);
    for (PortabilityWorkload.NumberPlan p : w.numbers()) {
      long validRequests = r.outcomes().stream().filter(o -> o.number().equals(p.number())
          && (o.kind() == PortabilityRun.Kind.REQUEST_PORT
              || o.kind() == PortabilityRun.Kind.COMPETING_REQUEST)
          && o.code() == ValidationCode.VALID).count();
      assertThat(validRequests).as("port requests of %s committed", p.number()).isLessThan(2);
    }
    assertThat(r.byCode()).containsKey(ValidationCode.MVCC_READ_CONFLICT);
    List<NodeStatus> heads = ClusterSupport.awaitSameHeads(clients.get(0), NODES, 1);
    ClusterSupport.verifyChain(cluster.httpUrls(), heads.get(0).height(),
        heads.get(0).headHash());
    assertSameStateEverywhere("portability", w.numbers().stream()
        .map(PortabilityWorkload.NumberPlan::number).toArray(String[]::new));
  }

  /** Every node answers GET /state with the same entries (value and version) once heads agree. */
  private void assertSameStateEverywhere(String contract, String... keys) throws Exception {
    ClusterSupport.awaitSameHeads(clients.get(0), NODES, 1);
    for (String key : keys) {
      List<String> seen = new ArrayList<>();
      for (URI node : cluster.httpUrls()) {
        var resp = ClusterSupport.get(node, "/state/" + contract + "/"
            + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8));
        seen.add(resp.statusCode() + " " + resp.body());
      }
      assertThat(seen.stream().distinct()).as(contract + "/" + key + ": " + seen).hasSize(1);
    }
  }
}
