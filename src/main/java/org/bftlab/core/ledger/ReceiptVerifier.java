package org.bftlab.core.ledger;

import org.bftlab.core.msg.MerkleTree;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Request;
import org.bftlab.core.quorum.Quorums;

/**
 * Checks a {@link Receipt} offline against the genesis only (cluster id, replica ids and keys):
 * the Merkle path to the header's root (RFC 6962 §2.1.1, checked as RFC 9162 §2.1.3.2), the
 * outcome against the header's results digest, the hash chain from the header to the certified
 * checkpoint, and 2f+1 distinct members' valid CHECKPOINT signatures over (n, SHA-256(hash(block
 * n) || worldRoot)). Pure and thread-safe; never throws for a bad receipt: it names the first
 * check that failed.
 */
public final class ReceiptVerifier {
  private final String clusterId;
  private final List<NodeId> members;
  private final Authenticator auth;
  private final int quorum;

  /**
   * @param clusterId the genesis cluster id
   * @param members the genesis replicas (n = their number)
   * @param auth verifies replica signatures against the genesis keys
   */
  public ReceiptVerifier(String clusterId, List<NodeId> members, Authenticator auth) {
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    this.members = List.copyOf(members);
    this.auth = Objects.requireNonNull(auth, "auth");
    this.quorum = new Quorums(this.members.size()).commit();
  }

  /** Why {@code r} does not prove its transaction committed, or empty when it does. */
  public Optional<String> check(Receipt r) {
    if (r == null) {
      return Optional.of("no receipt");
    }
    Request tx = r.transaction();
    if (!clusterId.equals(r.clusterId()) || !clusterId.equals(tx.clusterId())) {
      return Optional.of("receipt is for cluster " + r.clusterId() + " / transaction of "
          + tx.clusterId() + ", the genesis is " + clusterId);
    }
    BlockHeader header = r.header();
    if (r.txIndex() < 0 || r.txIndex() >= header.txCount()) {
      return Optional.of("transaction index " + r.txIndex() + " is outside the block's "
          + header.txCount() + " transactions");
    }
    if (!MerkleTree.verify(tx.digest(), r.txIndex(), header.txCount(), r.path(),
        header.merkleRoot())) {
      return Optional.of("the Merkle path of transaction " + tx.txId() + " (index "
          + r.txIndex() + ") does not lead to the Merkle root " + header.merkleRoot().shortHex()
          + " of block " + header.height());
    }
    if (r.outcomes().size() != header.txCount()
        || !BlockBuilder.outcomesDigest(r.outcomes()).equals(header.resultsDigest())) {
      return Optional.of("the outcomes do not give the results digest "
          + header.resultsDigest().shortHex() + " of block " + header.height());
    }
    BlockBuilder.Outcome mine = r.outcomes().get(r.txIndex());
    if (mine.code() != r.code() || !mine.result().equals(r.result())) {
      return Optional.of("the receipt claims " + r.code() + " but block " + header.height()
          + " records " + mine.code() + " for this transaction");
    }
    BlockHeader previous = header;
    for (BlockHeader next : r.chain()) {
      if (next.height() != previous.height() + 1
          || !next.previousHash().equals(previous.hash())) {
        return Optional.of("the header chain breaks at height " + next.height() + ": it does not"
            + " follow block " + previous.height() + " (" + previous.hash().shortHex() + ")");
      }
      previous = next;
    }
    long n = previous.height();
    Digest d = BlockCommitCore.checkpointDigest(previous.hash(), r.worldRoot());
    Checkpoint expected = new Checkpoint(n, d, members.get(0), new byte[0]);
    return CheckpointCertificate.error(clusterId, members::contains, quorum, auth,
        r.certificate(), expected)
        .map(why -> "commit certificate of checkpoint " + n + ": " + why);
  }
}
