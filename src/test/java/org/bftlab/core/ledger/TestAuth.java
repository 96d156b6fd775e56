package org.bftlab.core.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Request;

/**
 * A fake, deterministic Authenticator for tests: a signature is SHA-256(signer name || payload)
 * (32 bytes). Knows replicas node-0..node-(n-1) and clients client-0..client-3. Not secure:
 * anyone can compute anyone's signature; tests forge by flipping bytes.
 */
final class TestAuth implements Authenticator {
  static final String CLUSTER = "test-cluster";
  static final List<ClientId> CLIENTS = List.of(new ClientId("client-0"), new ClientId("client-1"),
      new ClientId("client-2"), new ClientId("client-3"));

  private final NodeId self;
  private final int n;

  TestAuth(NodeId self, int n) {
    this.self = self;
    this.n = n;
  }

  static TestAuth of(int self, int n) {
    return new TestAuth(new NodeId(self), n);
  }

  static byte[] sig(String signer, byte[] payload) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(signer.getBytes(StandardCharsets.UTF_8));
      md.update(payload);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signing function of {@code client}, for {@link Request#sign}. */
  static Function<byte[], byte[]> client(ClientId client) {
    return payload -> sig(client.value(), payload);
  }

  /** A request signed by {@code client} for {@link #CLUSTER}. */
  static Request request(String client, long timestamp, String contract, String operation,
      String... args) {
    ClientId c = new ClientId(client);
    return Request.sign(CLUSTER, c, timestamp, contract, operation, List.of(args), client(c));
  }

  /** Params for {@link #CLUSTER} with n replicas and checkpoint interval K. */
  static ProtocolParams params(int n, int k) {
    return new ProtocolParams(CLUSTER, NodeId.range(n), 64, 2, k, 2 * k, 50, 64 * 1024);
  }

  /** A copy of {@code sig} with its first byte flipped. */
  static byte[] forged(byte[] sig) {
    byte[] f = Arrays.copyOf(sig, sig.length);
    f[0] ^= 1;
    return f;
  }

  @Override
  public byte[] sign(byte[] payload) {
    return sig(self.toString(), payload);
  }

  @Override
  public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
    return signer != null && signer.index() < n
        && MessageDigest.isEqual(sig(signer.toString(), payload), signature);
  }

  @Override
  public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
    return knowsClient(client) && MessageDigest.isEqual(sig(client.value(), payload), signature);
  }

  @Override
  public boolean knowsClient(ClientId client) {
    return CLIENTS.contains(client);
  }
}
