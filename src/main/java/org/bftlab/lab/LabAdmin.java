package org.bftlab.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.bftlab.api.AdminSignature;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.KeyFiles;

/**
 * Puts network rules on a live node through its signed admin API ({@code PUT /admin/faults},
 * signed by {@code admin-0} of the genesis as {@code bftlab admin faults put} does; the rules'
 * windows are in the node's ticks from the moment it receives them).
 */
final class LabAdmin {
  private static final String TARGET = "/admin/faults";
  private final Genesis genesis;
  private final String adminId;
  private final Ed25519.SigningKey key;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param genesisDir holds {@code admins/<adminId>.key}
   * @throws IllegalArgumentException when the genesis lists no admin (the admin routes are off)
   */
  LabAdmin(Genesis genesis, Path genesisDir) throws IOException {
    this.genesis = genesis;
    if (genesis.admins().isEmpty()) {
      throw new IllegalArgumentException("the genesis lists no admins, so the nodes' admin "
          + "routes are off and network rules cannot be applied live");
    }
    this.adminId = genesis.admins().get(0).id();
    this.key = Ed25519.signingKey(KeyFiles.readPrivateKey(
        genesisDir.resolve("admins").resolve(adminId + ".key")));
  }

  /**
   * PUT {@code rulesJson} (a JSON array of scenario network rules) on {@code node}.
   *
   * @throws IOException when the node is unreachable or answers other than 2xx (status and body
   *     in the message)
   */
  void putRules(NodeId node, String rulesJson) throws IOException, InterruptedException {
    byte[] body = rulesJson.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(genesis.httpUrl(node) + TARGET))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    AdminSignature.headers(adminId, key, genesis.clusterId(), node.toString(), "PUT", TARGET,
        System.currentTimeMillis(), body).forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(node + " refused the network rules: " + r.statusCode() + " "
          + r.body());
    }
  }

  /** True when {@code GET url} answers 200 ({@code /ready}, {@code /health}). */
  boolean answers200(URI url) {
    try {
      return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
