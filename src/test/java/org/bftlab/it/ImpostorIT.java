package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CertificateAuthority;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Ed25519KeyPair;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.it.support.ProcessCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 2, multi-process: four {@code bftlab node} JVMs over mutual TLS (on by default)
 * commit transactions while three impostors, one after the other, try to join their Pekko
 * cluster, {@code Down} node-2 and node-3, send PREPAREs to every replica's inbox and register as
 * node-3's inbox to receive its traffic:
 *
 * <ol>
 *   <li>no certificate at all (plain TCP, as the ~50-line program of the issue);
 *   <li>TLS with a self-made certificate naming node-3 (its own CA);
 *   <li>TLS with a certificate issued by the cluster CA naming node-3 for a key that is not in the
 *       genesis (a leaked CA, or a member certificate re-issued for another key).
 * </ol>
 *
 * Each is refused: it never sees a replica in its cluster membership nor a replica's inbox, no
 * replica traffic reaches it, no replica's log mentions its address (it never got past TLS), the
 * TLS impostors' refusals are logged by the replicas with the reason, all four processes stay
 * alive in the same view, and the cluster keeps committing throughout (identical chains at the
 * end). Each impostor attacks for at least {@link #ATTACK} while transactions commit.
 */
class ImpostorIT {
  private static final Duration ATTACK = Duration.ofSeconds(15);
  private static final NodeId VICTIM = new NodeId(3);

  private ProcessCluster cluster;
  private final List<Impostor> impostors = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();

  @AfterEach
  void cleanUp() throws Exception {
    for (Impostor i : impostors) {
      try {
        i.close();
      } catch (Exception e) {
        System.err.println("impostor did not stop: " + e);
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void nonMembersCannotJoinDownOrSendAndTheClusterKeepsCommitting() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority clusterCa = CertificateAuthority.create("it-impostor",
        Ed25519.generate(random), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
        random);
    cluster = ProcessCluster.builder("impostor").certificateAuthority(clusterCa).build();
    ProcessCluster c = cluster;
    c.startAll();
    c.awaitUp(c.all());
    BftlabClient client = c.client(0);
    long t0 = System.nanoTime();
    commit(client, 3);
    c.log("4 replicas up over TLS, 3 transactions committed in %d ms",
        (System.nanoTime() - t0) / 1_000_000);
    long view = c.status(0).orElseThrow().view();

    Path work = Files.createDirectories(c.dir().resolve("impostors"));
    // (a) no member certificate: plain TCP
    attack(c, client, view, "plain-tcp", null, null, Ed25519.generate(random).privateKey(),
        null);
    // (a') TLS with a self-made certificate naming node-3
    CertificateAuthority ownCa = CertificateAuthority.create("it-impostor",
        Ed25519.generate(random), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
        random);
    Ed25519KeyPair k1 = Ed25519.generate(random);
    Path selfMade = write(work, "self-made", ownCa, k1);
    attack(c, client, view, "self-made-cert", selfMade.resolve("node-3.crt"),
        selfMade.resolve("node-3.key"), k1.privateKey(), "PKIX path validation failed");
    // (b) the cluster CA's certificate naming node-3, for a key not in the genesis
    Ed25519KeyPair k2 = Ed25519.generate(random);
    Path caSigned = write(work, "ca-signed", clusterCa, k2);
    attack(c, client, view, "cluster-ca-cert-wrong-key", caSigned.resolve("node-3.crt"),
        caSigned.resolve("node-3.key"), k2.privateKey(),
        "which is not the genesis key of any replica of cluster it-impostor");

    long height = commit(client, 3).blockHeight();
    List<NodeStatus> heads = c.awaitIdenticalHeads(c.all(), height);
    c.log("after three impostors: %s", ProcessCluster.describe(heads));
    c.checkBlocks(c.all(), height);
    for (int i : c.all()) {
      assertThat(c.isRunning(i)).as("node-%d alive", i).isTrue();
    }
    // a requested stop still ends a TLS node's process
    long t1 = System.nanoTime();
    int code = c.terminate(3, Duration.ofSeconds(60));
    c.log("node-3 exited with %d, %d ms after SIGTERM", code, (System.nanoTime() - t1) / 1_000_000);
    assertThat(c.isRunning(3)).isFalse();
  }

  /**
   * Negative control: with {@code bftlab.transport.tls = off} the same plain-TCP impostor (join
   * only, no Down) becomes a cluster member and receives traffic meant for node-3, as issue 7
   * found; so the refusals above are TLS's doing, and this test could fail.
   */
  @Test
  void withoutTlsThePlainImpostorJoinsAndReceivesAReplicasTraffic() throws Exception {
    cluster = ProcessCluster.builder("impostor-plain").config("bftlab.transport.tls = off")
        .build();
    ProcessCluster c = cluster;
    c.startAll();
    c.awaitUp(c.all());
    BftlabClient client = c.client(0);
    commit(client, 1);
    Impostor imp = new Impostor("plain-tcp", c.genesis(), VICTIM, null, null,
        Ed25519.generate(random).privateKey(), freePort());
    impostors.add(imp);
    long t0 = System.nanoTime();
    String joined = ProcessCluster.poll("the impostor in the membership with node-3's traffic",
        Duration.ofSeconds(90), () -> {
          imp.join();
          try {
            commit(client, 1);
          } catch (Exception e) {
            return Optional.empty();
          }
          return !imp.replicasInItsMembership().isEmpty() && imp.hijackedMessages() > 0
              ? Optional.of(imp.replicasInItsMembership() + ", " + imp.hijackedMessages()
                  + " messages for node-3 received") : Optional.empty();
        });
    c.log("without TLS, after %d ms: impostor sees %s", (System.nanoTime() - t0) / 1_000_000,
        joined);
    assertThat(imp.hijackedMessages()).isPositive();
  }

  private void attack(ProcessCluster c, BftlabClient client, long view, String name,
      Path certificate, Path key, byte[] signingKey, String refusalLogged) throws Exception {
    int port = freePort();
    long[] logStart = new long[c.n()]; // node logs are appended across runs: read only this part
    for (int i : c.all()) {
      logStart[i] = Files.size(c.logFile(i));
    }
    Impostor imp = new Impostor(name, c.genesis(), VICTIM, certificate, key, signingKey, port);
    impostors.add(imp);
    long start = System.nanoTime();
    int committed = 0;
    // attack for ATTACK while the cluster commits (a bounded observation window full of work)
    while (System.nanoTime() - start < ATTACK.toNanos()) {
      imp.attack();
      commit(client, 1);
      committed++;
    }
    c.log("impostor %s (port %d): %d rounds of join + Down(node-2, node-3) + %d PREPAREs; "
        + "%d transactions committed meanwhile", name, port, committed, imp.preparesSent(),
        committed);
    assertThat(imp.replicasInItsMembership()).as("replicas in %s's membership", name).isEmpty();
    assertThat(imp.replicaInboxesSeen()).as("replica inboxes %s saw", name).isZero();
    assertThat(imp.hijackedMessages()).as("replica traffic %s received as node-3", name).isZero();
    for (int i : c.all()) {
      assertThat(c.isRunning(i)).as("node-%d alive after %s", i, name).isTrue();
      NodeStatus s = c.status(i).orElseThrow();
      assertThat(s.view()).as("node-%d view after %s", i, name).isEqualTo(view);
      String log = since(c.logFile(i), logStart[i]);
      assertThat(log).as("node-%d's log mentions %s's address", i, name)
          .doesNotContain("@127.0.0.1:" + port);
    }
    if (refusalLogged != null) {
      String found = ProcessCluster.poll("a replica logging the refusal of " + name,
          Duration.ofSeconds(30), () -> c.all().stream().map(i -> refusals(c, i, logStart[i], refusalLogged))
              .flatMap(Optional::stream).findFirst());
      c.log("refused: %s", found);
    }
    imp.close();
    impostors.remove(imp);
  }

  private static Optional<String> refusals(ProcessCluster c, int i, long from, String reason) {
    try {
      return since(c.logFile(i), from).lines()
          .filter(l -> l.contains("refused inbound TLS peer") && l.contains(reason))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The text of {@code file} from byte {@code offset} on. */
  private static String since(Path file, long offset) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int from = (int) Math.min(offset, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  private static CommittedTx commit(BftlabClient client, int count) throws Exception {
    CommittedTx last = null;
    for (int i = 0; i < count; i++) {
      last = client.submitAndAwait(client.newRequest("kv", "put",
          List.of("k" + client.peekNextTimestamp(), "v")), Duration.ofSeconds(30))
          .get(60, TimeUnit.SECONDS);
    }
    return last;
  }

  /** {@code dir/<name>/node-3.key} and {@code node-3.crt} issued by {@code ca} for {@code key}. */
  private static Path write(Path dir, String name, CertificateAuthority ca, Ed25519KeyPair key)
      throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    KeyFiles.writePrivateKey(d.resolve("node-3.key"), key);
    KeyFiles.writeCertificate(d.resolve("node-3.crt"),
        ca.issueReplica(VICTIM, "127.0.0.1", key.publicKey()));
    return d;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
