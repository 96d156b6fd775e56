package org.bftlab.sim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.crypto.Ed25519;

/**
 * Deterministic key material for one simulated cluster, derived from the run's seed: every
 * replica and client gets 32 bytes from {@code new SplittableRandom(seed ^ KEY_SALT)}.
 *
 * <p>Two schemes ({@link Scheme}): real Ed25519 ({@link org.bftlab.crypto.Ed25519}, RFC 8032)
 * with those bytes as private keys, or a cheap deterministic MAC, {@code SHA-512(key ‖ payload)}
 * (64 bytes, like an Ed25519 signature), verified by recomputing it with the signer's key. The
 * MAC is not a signature — any holder of the key table could forge — but inside the simulator
 * only the core's own code signs, so it exercises exactly the same checks ~50× faster; it is the
 * default for campaigns. Both are deterministic, as {@link Authenticator} requires.
 */
public final class SimKeys {
  /** Which signature scheme the simulated cluster uses. */
  public enum Scheme { ED25519, MAC }

  private static final long KEY_SALT = 0x5EED0FCAFEL;
  private final Scheme scheme;
  private final List<byte[]> replicaKeys = new ArrayList<>();
  private final Map<ClientId, byte[]> clientKeys = new HashMap<>();
  private final List<Ed25519.SigningKey> replicaSigners = new ArrayList<>();
  private final List<Ed25519.VerifyingKey> replicaVerifiers = new ArrayList<>();
  private final Map<ClientId, Ed25519.SigningKey> clientSigners = new HashMap<>();
  private final Map<ClientId, Ed25519.VerifyingKey> clientVerifiers = new HashMap<>();

  /**
   * Keys for replicas node-0..node-(n-1) and {@code clients}.
   *
   * @param seed the run's seed
   */
  public SimKeys(long seed, int n, List<ClientId> clients, Scheme scheme) {
    this.scheme = scheme;
    SplittableRandom rnd = new SplittableRandom(seed ^ KEY_SALT);
    for (int i = 0; i < n; i++) {
      byte[] k = bytes(rnd);
      replicaKeys.add(k);
      if (scheme == Scheme.ED25519) {
        Ed25519.SigningKey s = Ed25519.signingKey(k);
        replicaSigners.add(s);
        replicaVerifiers.add(Ed25519.verifyingKey(s.publicKey()));
      }
    }
    for (ClientId c : clients) {
      byte[] k = bytes(rnd);
      clientKeys.put(c, k);
      if (scheme == Scheme.ED25519) {
        Ed25519.SigningKey s = Ed25519.signingKey(k);
        clientSigners.put(c, s);
        clientVerifiers.put(c, Ed25519.verifyingKey(s.publicKey()));
      }
    }
  }

  /** The scheme in use. */
  public Scheme scheme() {
    return scheme;
  }

  /** The authenticator of replica {@code self}. */
  public Authenticator replica(NodeId self) {
    return new Auth(self);
  }

  /** A verify-only authenticator (what a checker or client uses); {@code sign} throws. */
  public Authenticator verifier() {
    return new Auth(null);
  }

  /** {@code client}'s signing function, for {@link org.bftlab.core.msg.Request#sign}. */
  public Function<byte[], byte[]> clientSigner(ClientId client) {
    if (scheme == Scheme.ED25519) {
      Ed25519.SigningKey s = clientSigners.get(client);
      return s::sign;
    }
    byte[] k = clientKeys.get(client);
    return payload -> mac(k, payload);
  }

  private static byte[] bytes(SplittableRandom rnd) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i += 8) {
      long v = rnd.nextLong();
      for (int j = 0; j < 8; j++) {
        b[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return b;
  }

  private static byte[] mac(byte[] key, byte[] payload) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      md.update(key);
      md.update(payload);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by every JDK", e);
    }
  }

  private final class Auth implements Authenticator {
    private final NodeId self;

    Auth(NodeId self) {
      this.self = self;
    }

    @Override
    public byte[] sign(byte[] payload) {
      if (self == null) {
        throw new IllegalStateException("verify-only authenticator");
      }
      return scheme == Scheme.ED25519 ? replicaSigners.get(self.index()).sign(payload)
          : mac(replicaKeys.get(self.index()), payload);
    }

    @Override
    public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
      if (signer == null || signer.index() >= replicaKeys.size() || signature == null) {
        return false;
      }
      return scheme == Scheme.ED25519
          ? replicaVerifiers.get(signer.index()).verify(payload, signature)
          : Arrays.equals(mac(replicaKeys.get(signer.index()), payload), signature);
    }

    @Override
    public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
      if (client == null || !clientKeys.containsKey(client) || signature == null) {
        return false;
      }
      return scheme == Scheme.ED25519 ? clientVerifiers.get(client).verify(payload, signature)
          : Arrays.equals(mac(clientKeys.get(client), payload), signature);
    }

    @Override
    public boolean knowsClient(ClientId client) {
      return client != null && clientKeys.containsKey(client);
    }

    @Override
    public String toString() {
      return "SimKeys.Auth(" + scheme + ", " + (self == null ? "verify-only" : self) + ")";
    }
  }

  @Override
  public String toString() {
    return "SimKeys(" + scheme + ", " + replicaKeys.size() + " replicas, " + clientKeys.size()
        + " clients)";
  }
}
