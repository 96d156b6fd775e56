package org.bftlab.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/** Deterministic test keys and genesis files. */
final class TestKeys {
  private TestKeys() {}

  /** The key pair whose private key is SHA-256 of {@code name}. */
  static Ed25519KeyPair pair(String name) {
    return Ed25519KeyPair.fromPrivateKey(
        Digest.sha256(name.getBytes(StandardCharsets.UTF_8)).bytes());
  }

  static GenesisNode node(int i) {
    return new GenesisNode(new NodeId(i), "127.0.0.1", 25520 + i, 8080 + i,
        pair("node-" + i).publicKeyBase64());
  }

  static GenesisClient client(int j) {
    return new GenesisClient(new ClientId("client-" + j), pair("client-" + j).publicKeyBase64());
  }

  static List<GenesisNode> nodes(int n) {
    List<GenesisNode> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(node(i));
    }
    return list;
  }

  static Genesis genesis(int n, int m) {
    List<GenesisClient> clients = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      clients.add(client(j));
    }
    return Genesis.of("test-cluster", nodes(n), clients);
  }
}
