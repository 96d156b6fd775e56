package org.bftlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.ReceiptFiles;
import org.bftlab.codec.Json;
import org.bftlab.core.ledger.Receipt;
import org.bftlab.crypto.Genesis;

/**
 * The demo's receipt (issue 14): fetches the receipt of the first transaction of block 1 — a
 * block a stable checkpoint covers once the chain is longer than the checkpoint interval K —
 * saves it as {@code <data-dir>/receipt.json} and checks it offline against the genesis file
 * alone, as {@code bftlab client verify-receipt} does.
 */
final class DemoReceipt {
  private DemoReceipt() {}

  /**
   * One line for the demo's summary: where the receipt went and whether it verified, or why
   * there is none.
   */
  static String save(Genesis genesis, BftlabClient client, URI node, Path dataDir,
      Path genesisFile) {
    try {
      Optional<String> txId = firstTxId(node);
      if (txId.isEmpty()) {
        return "receipt: none (block 1 not found on " + node + ")";
      }
      Optional<Receipt> receipt = client.receipt(txId.get()).get(10, TimeUnit.SECONDS);
      if (receipt.isEmpty()) {
        return "receipt: none yet for tx " + txId.get().substring(0, 8)
            + " (block 1 is not covered by a stable checkpoint: the chain is shorter than K)";
      }
      Path file = dataDir.resolve("receipt.json");
      String json = ReceiptFiles.toJson(receipt.get());
      Files.writeString(file, json);
      Optional<String> error = ReceiptFiles.verifier(genesis).check(receipt.get());
      return "receipt: " + file + " (tx " + txId.get().substring(0, 8) + " in block 1, "
          + json.length() + " bytes, " + receipt.get().certificate().size() + " signatures) "
          + error.map(e -> "INVALID: " + e).orElse("verifies offline against the genesis")
          + "\n  check it yourself: ./bftlab client verify-receipt " + file + " --genesis "
          + genesisFile;
    } catch (Exception e) {
      return "receipt: could not be fetched: " + e.getMessage();
    }
  }

  private static Optional<String> firstTxId(URI node) throws IOException, InterruptedException {
    HttpResponse<String> r = BftlabClient.newHttpClient(Duration.ofSeconds(5)).send(
        HttpRequest.newBuilder(node.resolve("/blocks/1")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return Optional.empty();
    }
    JsonNode txs = Json.mapper().readTree(r.body()).path("transactions");
    return txs.isArray() && !txs.isEmpty() ? Optional.of(txs.get(0).path("txId").asText())
        : Optional.empty();
  }
}
