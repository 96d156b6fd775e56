package org.bftlab.client;

import java.util.Objects;
import java.util.function.Predicate;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Reply;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAuthenticator;

/**
 * Checks a REPLY's signature (Ed25519, OSDI'99 §4.1 "replies with valid signatures") under the
 * public key the genesis file lists for the replica it names, bound to the cluster id; a reply
 * from an unknown replica, with another cluster's binding or a forged or missing signature
 * fails. Every production client path (the {@code client} command, {@code demo}, {@code bench})
 * builds its client with one, so a forged reply never counts toward f+1. Thread-safe.
 */
public final class ReplyVerifier implements Predicate<Reply> {
  private final String clusterId;
  private final Authenticator auth;

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
      return reply.verify(clusterId, auth);
    } catch (RuntimeException e) {
      return false; // an unknown replica id or a malformed signature is simply not valid
    }
  }
}
