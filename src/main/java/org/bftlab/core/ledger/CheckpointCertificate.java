package org.bftlab.core.ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;

/**
 * The certificate of a stable checkpoint (OSDI'99 §4.3) as the block store keeps it for receipts:
 * the 2f+1 matching signed CHECKPOINTs ⟨n, d, i⟩ and the world-state root at n, so that anyone
 * holding the hash of block n can recompute d = SHA-256(hash || worldRoot)
 * ({@link BlockCommitCore#checkpointDigest}).
 *
 * @param seqNo n, the checkpoint's seqNo (= block height)
 * @param worldRoot the world-state root after block n
 * @param checkpoints the matching CHECKPOINTs, by sender
 */
public record CheckpointCertificate(long seqNo, Digest worldRoot, List<Checkpoint> checkpoints) {
  public CheckpointCertificate {
    Objects.requireNonNull(worldRoot, "worldRoot");
    checkpoints = List.copyOf(checkpoints);
  }

  /**
   * Why {@code proof} is not a certificate of (n, d) — 2f+1 CHECKPOINTs with one (n, d), from
   * distinct members, each signature valid — or empty when it is one.
   *
   * @param clusterId the cluster the signatures bind
   * @param isMember whether a sender is a replica of the genesis
   * @param quorum 2f+1
   * @param auth verifies replica signatures
   * @param proof the CHECKPOINTs
   * @param expected the (n, d) they must all carry, or null to take the first one's
   */
  public static Optional<String> error(String clusterId, Predicate<NodeId> isMember, int quorum,
      Authenticator auth, List<Checkpoint> proof, Checkpoint expected) {
    if (proof == null || proof.isEmpty()) {
      return Optional.of("no checkpoint certificate");
    }
    long n = expected == null ? proof.get(0).seqNo() : expected.seqNo();
    Digest digest = expected == null ? proof.get(0).digest() : expected.digest();
    Set<NodeId> signers = new HashSet<>();
    for (Checkpoint c : proof) {
      if (c.seqNo() != n || !c.digest().equals(digest)) {
        return Optional.of("certificate mixes " + c + " with (" + n + ", " + digest.shortHex()
            + ")");
      }
      if (!isMember.test(c.sender())) {
        return Optional.of("certificate holds a CHECKPOINT from non-member " + c.sender());
      }
      if (!c.verify(clusterId, auth)) {
        return Optional.of("certificate holds " + c + " whose signature does not verify");
      }
      signers.add(c.sender());
    }
    if (signers.size() < quorum) {
      return Optional.of("certificate has " + signers.size() + " distinct signers, 2f+1 = "
          + quorum + " needed");
    }
    return Optional.empty();
  }
}
