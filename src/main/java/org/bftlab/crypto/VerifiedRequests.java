package org.bftlab.crypto;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;

/**
 * A replica's {@link Authenticator} that verifies each client signature once (issue 9 item 3):
 * it remembers the SHA-256 digest of (client, signed bytes, signature) of every client request
 * whose signature it verified as valid, so the gateway at POST, the agreement for a relayed
 * request and the block commit at execution (RequestChecks) pay one Ed25519 verification per
 * request per replica instead of up to three.
 *
 * <p>Safe against a Byzantine primary: only exact bytes this replica verified itself are
 * remembered, so a request first seen inside a PRE-PREPARE (or a copy with another signature or
 * payload) is a miss and is verified at execution as before. Invalid signatures are never
 * remembered. Bounded: two generations, the older one dropped at each stable checkpoint
 * ({@link #onStableCheckpoint}) or when the newer holds {@code capacity} digests, so a digest is
 * kept for at least one checkpoint interval. Replica signatures and signing pass through.
 *
 * <p>Counts what it does ({@link #counts()}), for {@code GET /metrics} and {@code bftlab bench}:
 * signatures made, replica and client signature verifications performed, client verifications
 * saved.
 */
public final class VerifiedRequests implements Authenticator {
  /** Digests kept per generation unless configured. */
  public static final int DEFAULT_CAPACITY = 50_000;

  /**
   * What this authenticator did since the start.
   *
   * @param signatures signatures made ({@link #sign})
   * @param replicaVerifications replica signatures verified
   * @param clientVerifications client signatures verified (Ed25519 run)
   * @param clientVerificationsSaved client signatures answered from the remembered digests
   */
  public record Counts(long signatures, long replicaVerifications, long clientVerifications,
      long clientVerificationsSaved) {}

  private final Authenticator inner;
  private final int capacity;
  private volatile Map<Key, Boolean> current = new ConcurrentHashMap<>();
  private volatile Map<Key, Boolean> previous = new ConcurrentHashMap<>();
  private final AtomicLong signatures = new AtomicLong();
  private final AtomicLong replicaVerifications = new AtomicLong();
  private final AtomicLong clientVerifications = new AtomicLong();
  private final AtomicLong saved = new AtomicLong();

  /**
   * @param inner the authenticator that really signs and verifies
   * @param capacity digests per generation, >= 0 (0: remember none, only count)
   */
  public VerifiedRequests(Authenticator inner, int capacity) {
    this.inner = Objects.requireNonNull(inner, "inner");
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * With {@link #DEFAULT_CAPACITY}, or the system property {@code bftlab.verified-requests}
   * (0 turns remembering off, e.g. to measure what it saves).
   */
  public VerifiedRequests(Authenticator inner) {
    this(inner, Integer.getInteger("bftlab.verified-requests", DEFAULT_CAPACITY));
  }

  @Override
  public byte[] sign(byte[] payload) {
    signatures.incrementAndGet();
    return inner.sign(payload);
  }

  @Override
  public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
    replicaVerifications.incrementAndGet();
    return inner.verifyReplica(signer, payload, signature);
  }

  @Override
  public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
    Key key = Key.of(client, payload, signature);
    if (current.containsKey(key) || previous.containsKey(key)) {
      saved.incrementAndGet();
      return true;
    }
    clientVerifications.incrementAndGet();
    boolean valid = inner.verifyClient(client, payload, signature);
    if (valid && capacity > 0) {
      remember(key);
    }
    return valid;
  }

  private void remember(Key key) {
    Map<Key, Boolean> c = current;
    c.put(key, Boolean.TRUE);
    if (c.size() >= capacity) {
      rotate();
    }
  }

  /** The stable checkpoint advanced: drop the digests remembered before the previous one. */
  public void onStableCheckpoint(long seqNo) {
    rotate();
  }

  private synchronized void rotate() {
    previous = current;
    current = new ConcurrentHashMap<>();
  }

  @Override
  public boolean knowsClient(ClientId client) {
    return inner.knowsClient(client);
  }

  /** Digests remembered now (both generations). */
  public int remembered() {
    return current.size() + previous.size();
  }

  /** What this authenticator did since the start. */
  public Counts counts() {
    return new Counts(signatures.get(), replicaVerifications.get(), clientVerifications.get(),
        saved.get());
  }

  /** SHA-256 of (client, payload, signature), length-prefixed. */
  private record Key(long a, long b, long c, long d) {
    static Key of(ClientId client, byte[] payload, byte[] signature) {
      byte[] id = client.value().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] lengths = java.nio.ByteBuffer.allocate(12).putInt(id.length).putInt(payload.length)
          .putInt(signature.length).array();
      java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(
          org.bftlab.core.model.Digest.sha256(lengths, id, payload, signature).bytes());
      return new Key(h.getLong(), h.getLong(), h.getLong(), h.getLong());
    }
  }
}
