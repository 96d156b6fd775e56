package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.core.msg.Request;
import org.bftlab.it.support.ProcessCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, multi-process: four {@code bftlab node} JVMs of a freshly generated cluster
 * ({@link ProcessCluster}); the test's own {@link BftlabClient}s (client-0 and
 * client-1, keys from the config directory) submit a stream of mints over the nodes' HTTP ports
 * and record every txId confirmed by f+1 replicas ({@code bftlab client load --json} reports
 * counts only, no txIds, so the Java client is used instead of the {@code load} process). During
 * the load the primary, node-0, is killed with SIGKILL. Every confirmed transaction must be in
 * the chain of nodes 1-3 at the same height with identical block hashes; node-0 is then
 * restarted on its LevelDB directory and must catch up to the same head, and every confirmed
 * transaction must be on all four.
 */
class PrimaryCrashClusterIT {
  private static final int TRANSACTIONS = 200;
  private static final int IN_FLIGHT = 16;
  private static final int KILL_AFTER = 60;

  private ProcessCluster cluster;

  @AfterEach
  void killAll() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyConfirmedTransactionSurvivesASigkilledPrimaryAndItCatchesUp() throws Exception {
    cluster = ProcessCluster.builder("crash").build();
    ProcessCluster c = cluster;
    c.startAll();
    c.awaitUp(c.all());
    c.log("4 node processes up");

    List<BftlabClient> clients = List.of(c.client(0), c.client(1));
    Map<String, CommittedTx> confirmed = new ConcurrentHashMap<>();
    Map<String, String> failed = new ConcurrentHashMap<>();
    AtomicInteger done = new AtomicInteger();
    Semaphore window = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<?>> all = new ArrayList<>();
    long killedAt = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < TRANSACTIONS; i++) {
      if (i == KILL_AFTER) {
        ProcessCluster.poll("the first " + (KILL_AFTER - IN_FLIGHT) + " confirmations",
            ProcessCluster.DEADLINE,
            () -> done.get() >= KILL_AFTER - IN_FLIGHT ? Optional.of(true) : Optional.empty());
        c.log("SIGKILL node-0 (primary of view 0) after %d confirmations, %d ms into the load",
            done.get(), (System.nanoTime() - t0) / 1_000_000);
        c.kill9(0);
        killedAt = System.nanoTime();
      }
      window.acquire();
      BftlabClient client = clients.get(i % 2);
      Request r = client.newRequest("token", "mint", client.clientId().value(), "1");
      all.add(client.submitAndAwait(r, Duration.ofSeconds(30)).whenComplete((tx, err) -> {
        if (err == null) {
          confirmed.put(tx.txId(), tx);
        } else {
          failed.put(r.txId(), String.valueOf(err));
        }
        done.incrementAndGet();
        window.release();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null).get(5, TimeUnit.MINUTES);
    c.log("load done in %d ms: %d confirmed, %d failed (%d ms after the kill)",
        (System.nanoTime() - t0) / 1_000_000, confirmed.size(), failed.size(),
        (System.nanoTime() - killedAt) / 1_000_000);
    failed.values().stream().limit(5).forEach(f -> c.log("  failed: %s", f));
    assertThat(confirmed.size()).as("confirmed by f+1 despite the crash").isGreaterThanOrEqualTo(
        TRANSACTIONS * 95 / 100);

    List<Integer> survivors = List.of(1, 2, 3);
    List<NodeStatus> three = c.awaitIdenticalHeads(survivors, 1);
    c.log("nodes 1-3: %s", ProcessCluster.describe(three));
    assertThat(three).as("view after the crash").allMatch(s -> s.view() >= 1);
    c.checkTransactions(confirmed.values(), survivors);
    c.checkBlocks(survivors, three.get(0).height());

    c.start(0);
    c.awaitUp(List.of(0));
    long restarted = System.nanoTime();
    c.log("node-0 restarted: %s", ProcessCluster.describe(c.statuses(c.all())));
    List<NodeStatus> four = c.awaitIdenticalHeads(c.all(), three.get(0).height());
    c.log("node-0 caught up %d ms after its restart", (System.nanoTime() - restarted) / 1_000_000);
    c.checkTransactions(confirmed.values(), c.all());
    c.checkBlocks(c.all(), four.get(0).height());
  }
}
