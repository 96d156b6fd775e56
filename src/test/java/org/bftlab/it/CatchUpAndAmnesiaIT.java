package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.it.support.ProcessCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, items 4 and 5, multi-process ({@link ProcessCluster}, four {@code bftlab node} JVMs),
 * one cluster for all cases to share its start-up time:
 *
 * <ol>
 *   <li><b>Idle catch-up</b>: backup node-3 is stopped (SIGTERM), the others commit blocks past
 *       a checkpoint to a height that is not a checkpoint boundary, the load stops, node-3 is
 *       restarted on its journal: identical heads on all four within 30 s, no new transaction.
 *   <li><b>Wiped replica</b>: backup node-2 is killed (SIGKILL), its data directory deleted, and
 *       it is restarted: identical heads within 30 s, no new transaction (STATUS + state
 *       transfer + receiver-initiated retransmission of the slots above the checkpoint).
 *   <li><b>Truncated WAL</b>, <b>emptied WAL</b>, <b>missing CURRENT</b>: node-1 is killed after
 *       a burst of commits, its stopped data directory copied; each damage is applied to a
 *       fresh copy of it and node-1 started on it: it refuses to start with the reason at ERROR
 *       and a non-zero exit within 30 s (the journal mark, {@code JournalMark}, or the pre-start
 *       {@code JournalCheck}), signing nothing. Finally node-1 restarts on the intact copy and
 *       catches up.
 * </ol>
 */
class CatchUpAndAmnesiaIT {
  private static final int K = 16; // checkpoint interval of the default configuration
  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  private static final Duration REFUSAL = Duration.ofSeconds(30);

  private ProcessCluster cluster;

  @AfterEach
  void killAll() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void laggardsCatchUpOnAnIdleClusterAndAJournalThatLostItsTailIsRefused() throws Exception {
    cluster = ProcessCluster.builder("catchup").build();
    ProcessCluster c = cluster;
    c.startAll();
    c.awaitUp(c.all());
    BftlabClient client = c.client(0);
    commit(client, 5);
    c.awaitIdenticalHeads(c.all(), 1);

    // ---- 1. idle catch-up of a restarted backup --------------------------------------------
    // SIGTERM: the node exits within its own 30 s cap on shutdown (Pekko's TLS streams can hold
    // the actor system's stop, akka/akka-core#29162), so allow it that and the JVM's exit
    c.terminate(3, Duration.ofSeconds(60));
    long height = commitPastACheckpoint(client, List.of(0, 1, 2));
    long before = c.status(0).orElseThrow().height();
    long t0 = System.nanoTime();
    c.start(3);
    List<NodeStatus> heads = c.awaitIdenticalHeads(c.all(), height, CATCH_UP);
    c.log("idle catch-up: node-3 restarted and at height %d within %d ms", heads.get(0).height(),
        ms(t0));
    assertThat(heads.get(0).height()).as("no new transaction").isEqualTo(before);

    // ---- 2. a wiped replica catches up without traffic -------------------------------------
    c.kill9(2);
    deleteTree(c.dataDir(2));
    t0 = System.nanoTime();
    c.start(2);
    heads = c.awaitIdenticalHeads(c.all(), height, CATCH_UP);
    c.log("wiped replica: node-2 at height %d within %d ms", heads.get(0).height(), ms(t0));
    assertThat(heads.get(0).height()).as("no new transaction").isEqualTo(before);
    c.checkBlocks(c.all(), before);

    // ---- 3. amnesia: node-1's journal loses its tail ---------------------------------------
    commit(client, 12);
    c.awaitIdenticalHeads(c.all(), before + 1);
    c.kill9(1);
    Path data = c.dataDir(1);
    Path intact = c.dir().resolve("node-1-intact");
    copyTree(data, intact);

    refused(c, intact, "truncated WAL", journal -> {
      Path log = newestLog(journal);
      long size = Files.size(log);
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
        f.setLength(size / 2);
      }
      c.log("truncated %s from %d to %d bytes", log.getFileName(), size, size / 2);
    });
    refused(c, intact, "emptied WAL", journal -> {
      Path log = newestLog(journal);
      c.log("emptied %s (%d bytes)", log.getFileName(), Files.size(log));
      try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
        f.setLength(0);
      }
    });
    refused(c, intact, "missing CURRENT", journal -> Files.delete(journal.resolve("CURRENT")));

    // the intact copy is a healthy journal: node-1 starts on it and catches up
    deleteTree(data);
    copyTree(intact, data);
    c.start(1);
    heads = c.awaitIdenticalHeads(c.all(), before + 1, CATCH_UP);
    c.log("node-1 on its intact journal: height %d", heads.get(0).height());
  }

  interface Damage {
    void apply(Path journal) throws IOException;
  }

  /** Starts node-1 on a damaged copy of {@code intact}: it must exit non-zero, saying why. */
  private void refused(ProcessCluster c, Path intact, String what, Damage damage)
      throws Exception {
    Path data = c.dataDir(1);
    deleteTree(data);
    copyTree(intact, data);
    damage.apply(data.resolve("journal"));
    long logStart = Files.exists(c.logFile(1)) ? Files.size(c.logFile(1)) : 0;
    long t0 = System.nanoTime();
    c.start(1);
    int exit = c.awaitExit(1, REFUSAL);
    String log = Files.readString(c.logFile(1)).substring((int) logStart);
    String reason = log.lines().filter(l -> l.contains("ERROR") || l.contains("refusing"))
        .findFirst().orElse("(none)");
    c.log("%s: node-1 exited %d after %d ms: %s", what, exit, ms(t0), reason);
    assertThat(exit).as(what + ": exit code").isNotZero();
    assertThat(log).as(what + ": the reason, at ERROR").contains("ERROR").contains("refusing");
    assertThat(log).as(what + ": never served").doesNotContain("running, HTTP port");
  }

  /** Commits mints until nodes {@code up} pass a checkpoint and end off a boundary; the height. */
  private long commitPastACheckpoint(BftlabClient client, List<Integer> up) throws Exception {
    ProcessCluster c = cluster;
    long start = c.status(up.get(0)).orElseThrow().height();
    long height = start;
    while (height < start + K + 2 || height % K == 0) {
      commit(client, 6);
      height = c.awaitIdenticalHeads(up, height + 1).get(0).height();
    }
    c.log("nodes %s at height %d (last stable checkpoint %d); load stopped", up, height,
        height / K * K);
    return height;
  }

  /** Submits {@code count} mints, up to 6 in flight, and waits until each is confirmed. */
  private static void commit(BftlabClient client, int count) throws Exception {
    List<CompletableFuture<CommittedTx>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(client.submitAndAwait(client.newRequest("token", "mint",
          client.clientId().value(), "1"), Duration.ofSeconds(30)));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  private static Path newestLog(Path journal) throws IOException {
    try (Stream<Path> s = Files.list(journal)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".log"))
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no write-ahead log in " + journal));
    }
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
