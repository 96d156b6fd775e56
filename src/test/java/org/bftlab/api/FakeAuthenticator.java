package org.bftlab.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;

/** Deterministic test signatures: SHA-256(identity || payload). Knows client-0 and client-1. */
final class FakeAuthenticator implements Authenticator {
  static final Set<String> CLIENTS = Set.of("client-0", "client-1");
  private final NodeId self;

  FakeAuthenticator(NodeId self) {
    this.self = self;
  }

  static byte[] signAs(String identity, byte[] payload) {
    return Digest.sha256(identity.getBytes(StandardCharsets.UTF_8), payload).bytes();
  }

  @Override
  public byte[] sign(byte[] payload) {
    return signAs(self.toString(), payload);
  }

  @Override
  public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
    return Arrays.equals(signAs(signer.toString(), payload), signature);
  }

  @Override
  public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
    return knowsClient(client) && Arrays.equals(signAs(client.value(), payload), signature);
  }

  @Override
  public boolean knowsClient(ClientId client) {
    return CLIENTS.contains(client.value());
  }
}
