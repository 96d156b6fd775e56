package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bftlab.api.BlockView;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.ReceiptFiles;
import org.bftlab.core.ledger.Receipt;
import org.bftlab.core.ledger.ReceiptVerifier;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block store on a live in-JVM cluster (issue 9 item 7, issue 14 items 2–3): with snapshots
 * every 50 events the journal no longer holds the early blocks, yet {@code GET /blocks/1} and
 * receipts still work, also after a restart; the receipt of a transaction verifies offline with
 * the genesis only (real Ed25519); a node whose block store was lost refuses to start.
 */
class BlockStoreClusterTest {
  private static final NodeId VICTIM = new NodeId(1);

  @Test
  void blocksAndReceiptsSurviveARestartAndALostStoreIsRefused(@TempDir Path dir)
      throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 4, 2, "bftlab-blocks",
        ConfigFactory.parseString("bftlab.journal.snapshot-every = 50"));
    try {
      List<BftlabClient> clients = ClusterSupport.clients(cluster);
      URI victim = cluster.httpUrls().get(VICTIM.index());
      try {
        ClusterSupport.runWorkload(clients, 5, 120, 8);
        long height = ClusterSupport.awaitSameHeads(clients.get(0), 4, 20).get(0).height();
        BlockView first = ClusterSupport.block(victim, 1);
        String txId = first.transactions().get(0).txId();
        ReceiptVerifier verifier = ReceiptFiles.verifier(cluster.genesis());

        Receipt receipt = awaitReceipt(cluster, victim, txId);
        assertThat(verifier.check(receipt)).isEmpty();
        measure(receipt, verifier);
        verifyWithTheCli(dir, receipt);

        cluster.stop(VICTIM);
        assertThat(snapshotFiles(dir)).as("snapshots taken: early blocks left the journal")
            .isPositive();
        cluster.start(VICTIM);
        ClusterSupport.awaitSameHeads(clients.get(0), 4, height);
        assertThat(ClusterSupport.block(victim, 1).hash()).isEqualTo(first.hash());
        Receipt again = awaitReceipt(cluster, victim, txId);
        assertThat(verifier.check(again)).isEmpty();
        assertThat(again.header()).isEqualTo(receipt.header());
        cluster.stop(VICTIM);
      } finally {
        clients.forEach(BftlabClient::close);
      }
      // a lost block store is refused at start; the refused node stops only once its other
      // components' journal replays have ended (ReplaySettle: stopping under a running LevelDB
      // replay crashed leveldbjni, and with it this JVM, in a CI run)
      Path blocks = dir.resolve("data").resolve(VICTIM.toString()).resolve("blocks");
      deleteTree(blocks);
      assertThatThrownBy(() -> cluster.start(VICTIM))
          .as("a node refuses to start on a block store shorter than its journal's head")
          .isInstanceOf(IOException.class)
          .hasMessageContaining("block store holds blocks up to height 0")
          .satisfies(e -> System.out.println("node-1 refused to start: " + e.getMessage()));
      assertThat(cluster.node(VICTIM)).isEmpty();
    } finally {
      cluster.close();
    }
  }

  private static Receipt awaitReceipt(LocalCluster cluster, URI node, String txId)
      throws Exception {
    try (BftlabClient one = new BftlabClient(cluster.genesis().clusterId(),
        new ClientId("receipt"), b -> new byte[0], List.of(node), 0,
        ClusterSupport.COMMIT_TIMEOUT)) {
      return ClusterSupport.poll("a receipt for " + txId + " from " + node,
          ClusterSupport.COMMIT_TIMEOUT, 100, () -> one.receipt(txId).join(), () -> "none yet");
    }
  }

  /**
   * {@code bftlab client verify-receipt FILE --genesis G}: 0 and VALID for the receipt; 1 and
   * the reason for one with a signature removed, and for a truncated file.
   */
  private static void verifyWithTheCli(Path dir, Receipt r) throws IOException {
    Path genesis = dir.resolve(org.bftlab.crypto.CryptoGen.GENESIS_FILE);
    Path good = dir.resolve("good.receipt.json");
    Files.writeString(good, ReceiptFiles.toJson(r));
    Receipt fewer = new Receipt(r.clusterId(), r.transaction(), r.txIndex(), r.code(), r.result(),
        r.header(), r.path(), r.outcomes(), r.chain(), r.worldRoot(),
        r.certificate().subList(0, 2)); // 2f signatures: the proof may hold up to n
    Path forged = dir.resolve("forged.receipt.json");
    Files.writeString(forged, ReceiptFiles.toJson(fewer));
    Path truncated = dir.resolve("truncated.receipt.json");
    String json = ReceiptFiles.toJson(r);
    Files.writeString(truncated, json.substring(0, json.length() / 3));
    assertThat(cli(good, genesis)).startsWith("0 VALID: transaction " + r.txId());
    assertThat(cli(forged, genesis)).startsWith("1 INVALID: commit certificate")
        .contains("2f+1 = 3 needed");
    assertThat(cli(truncated, genesis)).startsWith("1 INVALID:").contains("not a receipt");
  }

  private static String cli(Path file, Path genesis) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = new picocli.CommandLine(new org.bftlab.cli.ClientCommand())
        .setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err))
        .execute("verify-receipt", file.toString(), "--genesis", genesis.toString());
    String text = code + " " + out + err;
    System.out.println("verify-receipt " + file.getFileName() + ": " + text.strip());
    return text;
  }

  /** Prints the receipt's size and the time to verify one (measured, not asserted). */
  private static void measure(Receipt r, ReceiptVerifier verifier) throws IOException {
    int bytes = ReceiptFiles.toJson(r).getBytes(StandardCharsets.UTF_8).length;
    for (int i = 0; i < 200; i++) {
      verifier.check(r); // warm-up
    }
    int runs = 500;
    long t0 = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      verifier.check(r);
    }
    double micros = (System.nanoTime() - t0) / 1000.0 / runs;
    System.out.printf("receipt: %d bytes JSON (block %d, %d headers to checkpoint %d, %d"
        + " signatures); verify %.0f µs each (mean of %d)%n", bytes, r.blockHeight(),
        r.chain().size(), r.checkpointSeqNo(), r.certificate().size(), micros, runs);
  }

  private static long snapshotFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir.resolve("data").resolve(VICTIM.toString())
        .resolve("snapshots"))) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
