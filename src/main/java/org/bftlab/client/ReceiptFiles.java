package org.bftlab.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bftlab.codec.Json;
import org.bftlab.core.ledger.Receipt;
import org.bftlab.core.ledger.ReceiptVerifier;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;

/**
 * Receipts as files and JSON (the HTTP API's format), and the offline verifier for a genesis.
 */
public final class ReceiptFiles {
  private static final ObjectMapper JSON = Json.mapper();

  private ReceiptFiles() {}

  /** A verifier that needs nothing but {@code genesis}: its cluster id, replicas and keys. */
  public static ReceiptVerifier verifier(Genesis genesis) {
    return new ReceiptVerifier(genesis.clusterId(), genesis.nodeIds(),
        GenesisAuthenticator.forClientsAndReplicasOnly(genesis));
  }

  /**
   * Reads a receipt from JSON.
   *
   * @throws IOException naming what is missing or mistyped (a truncated file, a bad field)
   */
  public static Receipt parse(String json) throws IOException {
    try {
      return JSON.readValue(json, Receipt.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException("not a receipt: " + e.getMessage(), e);
    }
  }

  /** Reads a receipt file ({@link #parse}). */
  public static Receipt read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** The receipt as JSON. */
  public static String toJson(Receipt receipt) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(receipt);
  }
}
