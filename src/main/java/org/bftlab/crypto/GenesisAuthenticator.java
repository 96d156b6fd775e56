package org.bftlab.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;

/**
 * The production {@link Authenticator}: Ed25519 (RFC 8032) against the public keys of a
 * {@link Genesis}, signing with this replica's private key. Keys are decoded once, at
 * construction; verification is then one Ed25519 check with no allocation beyond Bouncy
 * Castle's. Thread-safe and immutable.
 *
 * <p>Unknown signers (a node index outside {@code 0..n-1}, a client not in the genesis), null
 * arguments and malformed signatures verify as false, never throw.
 */
public final class GenesisAuthenticator implements Authenticator {
  private final Genesis genesis;
  private final NodeId self;
  private final Ed25519.SigningKey signer;
  private final Ed25519.VerifyingKey[] replicas;
  private final Map<ClientId, Ed25519.VerifyingKey> clients;

  /**
   * The authenticator of replica {@code self}.
   *
   * @param privateKey32 {@code self}'s 32-byte Ed25519 private key
   * @throws IllegalArgumentException if {@code self} is not in the genesis, or the key is not 32
   *     bytes, or its public key is not the one the genesis lists for {@code self} (a node
   *     started with another node's key file)
   */
  public GenesisAuthenticator(Genesis genesis, NodeId self, byte[] privateKey32) {
    this(genesis, Objects.requireNonNull(self, "self"),
        Ed25519.signingKey(Objects.requireNonNull(privateKey32, "privateKey32")), true);
  }

  private GenesisAuthenticator(Genesis genesis, NodeId self, Ed25519.SigningKey signer,
      boolean check) {
    this.genesis = Objects.requireNonNull(genesis, "genesis");
    this.self = self;
    this.signer = signer;
    this.replicas = genesis.nodes().stream()
        .map(n -> Ed25519.verifyingKey(n.publicKeyBytes()))
        .toArray(Ed25519.VerifyingKey[]::new);
    Map<ClientId, Ed25519.VerifyingKey> byClient = new HashMap<>();
    for (GenesisClient c : genesis.clients()) {
      byClient.put(c.id(), Ed25519.verifyingKey(c.publicKeyBytes()));
    }
    this.clients = Map.copyOf(byClient);
    if (check && self != null) {
      GenesisNode entry = genesis.node(self).orElseThrow(() -> new IllegalArgumentException(
          self + " is not a member of cluster " + genesis.clusterId() + " (n = " + genesis.n()
              + ")"));
      if (!Arrays.equals(signer.publicKey(), entry.publicKeyBytes())) {
        throw new IllegalArgumentException("the private key given for " + self
            + " does not match its public key in the genesis (" + entry.publicKey()
            + "); is this another node's key file?");
      }
    }
  }

  /** The authenticator of replica {@code self}, its private key read from {@code keyFile}. */
  public static GenesisAuthenticator forReplica(Genesis genesis, NodeId self, Path keyFile)
      throws IOException {
    byte[] key = KeyFiles.readPrivateKey(keyFile);
    try {
      return new GenesisAuthenticator(genesis, self, key);
    } catch (IllegalArgumentException e) {
      throw new CryptoFileException(keyFile, e.getMessage(), e);
    }
  }

  /**
   * A verify-only authenticator for clients and tools: verifies replicas and clients of {@code
   * genesis}; {@link #sign} throws {@link IllegalStateException}.
   */
  public static GenesisAuthenticator forClientsAndReplicasOnly(Genesis genesis) {
    return new GenesisAuthenticator(genesis, null, null, false);
  }

  /** The genesis this authenticator checks against. */
  public Genesis genesis() {
    return genesis;
  }

  /** The replica this authenticator signs for; empty for a verify-only instance. */
  public Optional<NodeId> self() {
    return Optional.ofNullable(self);
  }

  /**
   * Signs with this replica's key: the 64-byte deterministic Ed25519 signature.
   *
   * @throws IllegalStateException on a verify-only instance
   */
  @Override
  public byte[] sign(byte[] payload) {
    if (signer == null) {
      throw new IllegalStateException("this authenticator is verify-only (built with "
          + "forClientsAndReplicasOnly); it has no private key to sign with");
    }
    return signer.sign(payload);
  }

  @Override
  public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
    if (signer == null || signer.index() >= replicas.length) {
      return false;
    }
    return replicas[signer.index()].verify(payload, signature);
  }

  @Override
  public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
    Ed25519.VerifyingKey key = client == null ? null : clients.get(client);
    return key != null && key.verify(payload, signature);
  }

  @Override
  public boolean knowsClient(ClientId client) {
    return client != null && clients.containsKey(client);
  }

  @Override
  public String toString() {
    return "GenesisAuthenticator(" + genesis.clusterId() + ", "
        + (self == null ? "verify-only" : "signs as " + self) + ")";
  }
}
