package org.bftlab.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Reply;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;

/**
 * Checks a REPLY's signature (Ed25519, OSDI'99 §4.1 "replies with valid signatures") under the
 * public key the genesis file lists for the replica it names, bound to the cluster id; a reply
 * from an unknown replica, with another cluster's binding, whose fields or audit path do not
 * lead to the signed root, or with a forged or missing signature fails. Every production client
 * path (the {@code client} command, {@code demo}, {@code bench}) builds its client with one, so a
 * forged reply never counts toward f+1.
 *
 * <p>A replica signs one statement per block ({@link Reply}); this verifier remembers the
 * {@link #REMEMBERED} statements it used last whose signature it checked and found valid (one
 * SHA-256 over the statement and the signature), so the other replies of that block from that replica
 * cost a Merkle path of SHA-256s, not an Ed25519 verification. Only valid statements are kept:
 * a forged one is checked, and refused, every time. Thread-safe; share one across the clients
 * of a process.
 */
public final class ReplyVerifier implements Predicate<Reply> {
  /** Valid signed statements remembered (~150 bytes each). */
  public static final int REMEMBERED = 4096;

  private final String clusterId;
  private final Authenticator auth;
  private final Map<Digest, Boolean> valid = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      });
  private final AtomicLong signatureChecks = new AtomicLong();

  private ReplyVerifier(String clusterId, Authenticator auth) {
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    this.auth = Objects.requireNonNull(auth, "auth");
  }

  /** A verifier of the replicas of {@code genesis}. */
  public static ReplyVerifier fromGenesis(Genesis genesis) {
    return new ReplyVerifier(genesis.clusterId(),
        GenesisAuthenticator.forClientsAndReplicasOnly(genesis));
  }

  /** True when {@code reply} is signed by the replica it names, for this cluster. */
  @Override
  public boolean test(Reply reply) {
    try {
      Optional<byte[]> statement = reply.signedBytes(clusterId);
      if (statement.isEmpty()) {
        return false;  // the audit path does not fit the leaf index and count
      }
      Digest key = Digest.sha256(statement.get(), reply.signature());
      if (valid.get(key) != null) {
        return true;  // a get, not containsKey: it refreshes the entry's place in the LRU order
      }
      signatureChecks.incrementAndGet();
      if (!auth.verifyReplica(reply.replica(), statement.get(), reply.signature())) {
        return false;
      }
      valid.put(key, Boolean.TRUE);
      return true;
    } catch (RuntimeException e) {
      return false; // an unknown replica id or a malformed signature is simply not valid
    }
  }

  /** Ed25519 verifications this verifier ran (replies answered from memory not counted). */
  public long signatureChecks() {
    return signatureChecks.get();
  }
}
