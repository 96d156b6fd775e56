package org.bftlab.core.agreement;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Request;

/**
 * A deterministic test authenticator: a signature is SHA-256(signer-id || payload). Replicas are
 * node-0..node-(n-1); clients are every id starting with {@code client-}.
 */
public class FakeAuth implements Authenticator {
  public static final String CLUSTER = "test-cluster";
  private final NodeId self;
  private final int n;

  public FakeAuth(NodeId self, int n) {
    this.self = self;
    this.n = n;
  }

  public static byte[] sig(String signer, byte[] payload) {
    return Digest.sha256(signer.getBytes(StandardCharsets.UTF_8), payload).bytes();
  }

  @Override
  public byte[] sign(byte[] payload) {
    return sig(self.toString(), payload);
  }

  @Override
  public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
    return signer.index() < n && Arrays.equals(sig(signer.toString(), payload), signature);
  }

  @Override
  public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
    return knowsClient(client) && Arrays.equals(sig("client:" + client, payload), signature);
  }

  @Override
  public boolean knowsClient(ClientId client) {
    return client.value().startsWith("client-");
  }

  /** A request signed by {@code client-c} with timestamp {@code t}. */
  static Request request(int c, long t) {
    ClientId client = new ClientId("client-" + c);
    return Request.sign(CLUSTER, client, t, "token", "transfer", List.of("a", "b", "1"),
        payload -> sig("client:" + client, payload));
  }
}
