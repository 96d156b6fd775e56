package org.bftlab.crypto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.bftlab.core.model.NodeId;

/**
 * One replica in the genesis membership.
 *
 * @param id {@code node-i}
 * @param host host name or IP address its Pekko remoting and HTTP API listen on (non-blank, no
 *     whitespace)
 * @param pekkoPort Pekko Artery port, 1..65535
 * @param httpPort HTTP API port, 1..65535, different from {@code pekkoPort}
 * @param publicKey base64 (RFC 4648) of its raw 32-byte Ed25519 public key (RFC 8032)
 * @throws IllegalArgumentException naming the node and the problem
 */
@JsonPropertyOrder({"id", "host", "pekkoPort", "httpPort", "publicKey"})
public record GenesisNode(NodeId id, String host, int pekkoPort, int httpPort, String publicKey) {
  public GenesisNode {
    if (id == null) {
      throw new IllegalArgumentException("node: id is missing");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(id + ": host is missing");
    }
    if (!host.matches("\\S+")) {
      throw new IllegalArgumentException(id + ": host must not contain whitespace: \"" + host + '"');
    }
    checkPort(id, "pekkoPort", pekkoPort);
    checkPort(id, "httpPort", httpPort);
    if (pekkoPort == httpPort) {
      throw new IllegalArgumentException(
          id + ": pekkoPort and httpPort must differ, both are " + pekkoPort);
    }
    try {
      KeyFiles.decodePublicKey(publicKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(id + ": " + e.getMessage(), e);
    }
  }

  /** The raw 32-byte public key. */
  @JsonIgnore
  public byte[] publicKeyBytes() {
    return KeyFiles.decodePublicKey(publicKey);
  }

  /** {@code http://host:httpPort} (IPv6 literals in brackets). */
  @JsonIgnore
  public String httpUrl() {
    return "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
        + ":" + httpPort;
  }

  private static void checkPort(NodeId id, String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(id + ": " + name + " must be 1..65535, got " + port);
    }
  }
}
