package org.bftlab.api;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Ed25519KeyPair;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAdmin;
import org.bftlab.crypto.GenesisClient;
import org.bftlab.crypto.GenesisNode;

/** A 4-replica genesis with one client ({@code client-0}) and one admin ({@code admin-0}). */
final class AdminFixture {
  final Ed25519KeyPair admin;
  final Ed25519KeyPair client;
  final Ed25519KeyPair replica0;
  final Genesis genesis;

  AdminFixture(String clusterId) {
    SecureRandom random = new SecureRandom();
    admin = Ed25519.generate(random);
    client = Ed25519.generate(random);
    List<GenesisNode> nodes = new ArrayList<>();
    Ed25519KeyPair first = null;
    for (NodeId id : NodeId.range(4)) {
      Ed25519KeyPair kp = Ed25519.generate(random);
      first = first == null ? kp : first;
      nodes.add(new GenesisNode(id, "127.0.0.1", 30000 + id.index(), 31000 + id.index(),
          kp.publicKeyBase64()));
    }
    replica0 = first;
    genesis = new Genesis(clusterId, nodes,
        List.of(new GenesisClient(new ClientId("client-0"), client.publicKeyBase64())), null,
        List.of(new GenesisAdmin("admin-0", admin.publicKeyBase64())));
  }

  /** Headers of a request to {@code node} signed by {@code key} in the name of {@code id}. */
  Map<String, String> sign(String id, Ed25519KeyPair key, String node, String method,
      String target, long ts, byte[] body) {
    return AdminSignature.headers(id, Ed25519.signingKey(key.privateKey()), genesis.clusterId(),
        node, method, target, ts, body);
  }
}
