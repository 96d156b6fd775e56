package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bftlab.client.ReceiptFiles;
import org.bftlab.core.ledger.Receipt;
import org.bftlab.crypto.Genesis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 14, "Done when": {@code ./bftlab demo --workload portability} ends with identical heads
 * and its outcome counts, and the receipt it saves verifies with nothing but the genesis file —
 * the same check {@code bftlab client verify-receipt} runs.
 */
class DemoCommandTest {
  @Test
  void thePortabilityDemoEndsWithIdenticalHeadsAndSavesAReceiptThatVerifies(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("demo");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = new CommandLine(new DemoCommand()).execute("--workload", "portability",
          "--transactions", "80", "--data-dir", data.toString());
    } finally {
      System.setOut(saved);
    }
    String summary = out.toString(StandardCharsets.UTF_8);
    System.out.print(summary);
    assertThat(code).as(summary).isZero();
    assertThat(summary).contains("heads identical on all 4 nodes").contains("VALID")
        .contains("verifies offline against the genesis");

    Receipt receipt = ReceiptFiles.read(data.resolve("receipt.json"));
    Genesis genesis = Genesis.read(data.resolve("genesis.json"));
    assertThat(ReceiptFiles.verifier(genesis).check(receipt)).isEmpty();
    assertThat(receipt.header().height()).isEqualTo(1);
    // 2f signatures, one fewer than 2f+1, are refused
    Receipt truncated = new Receipt(receipt.clusterId(), receipt.transaction(),
        receipt.txIndex(), receipt.code(), receipt.result(), receipt.header(), receipt.path(),
        receipt.outcomes(), receipt.chain(), receipt.worldRoot(),
        receipt.certificate().subList(0, 2)); // 2f: the proof may hold up to n signatures
    assertThat(ReceiptFiles.verifier(genesis).check(truncated)).isPresent();
    assertThat(Files.size(data.resolve("receipt.json"))).isPositive();
  }
}
