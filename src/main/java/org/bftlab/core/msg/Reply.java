package org.bftlab.core.msg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;

/**
 * REPLY ⟨v, t, c, i, r⟩ (OSDI'99 §4.1), extended with where the transaction landed: the block
 * height, its validation code and the contract's result. A client accepts an outcome once f+1
 * replicas sent matching (height, validationCode, result).
 *
 * <p><b>One signature per block.</b> A replica signs one statement per executed block instead of
 * one per transaction (issue 9; the batched replies of BFT-SMaRt and Zyzzyva's signed history
 * serve the same end): ⟨REPLY, cluster, v, i, height, m, root⟩, where root is the RFC 6962
 * Merkle root ({@link MerkleTree}) over the block's m reply leaves in block order, and a leaf is
 * SHA-256 of ⟨REPLY-TX, cluster, t, c, txId, height, validationCode, r⟩ ({@link #leaf}). Each
 * transaction's REPLY carries the shared signature, its leaf index and its audit path; a client
 * recomputes the root from its own fields and checks the signature, and may remember a checked
 * statement, so one Ed25519 verification covers every reply of that block from that replica
 * ({@code client/ReplyVerifier}). A reply for one transaction alone is the case m = 1 with an
 * empty path. Changing any field of a reply changes its leaf, hence the root, hence what the
 * signature must cover.
 *
 * @param view v in which the request was ordered (the same for every reply of the statement)
 * @param timestamp t, the request's client timestamp
 * @param client c
 * @param replica i, the replica that executed and signed this reply
 * @param txId the transaction id
 * @param blockHeight the height of the block that holds the transaction (>= 1)
 * @param validationCode e.g. {@code VALID}, {@code CONTRACT_REJECTED}
 * @param result r: the contract's result, or the reason it rejected; never null
 * @param leafIndex this reply's leaf in the signed statement, {@code 0 <= leafIndex < leafCount}
 * @param leafCount m, the number of replies the signed statement covers (>= 1)
 * @param path the leaf's RFC 6962 audit path, leaf first (empty when m = 1); at most
 *     {@link #MAX_PATH} digests
 * @param signature replica i's signature over {@link #signedBytes(String)}
 * @throws IllegalArgumentException on a leaf index outside [0, leafCount) or a path longer than
 *     {@link #MAX_PATH} (a malformed reply is refused on decoding, never verified)
 */
public record Reply(long view, long timestamp, ClientId client, NodeId replica, String txId,
    long blockHeight, String validationCode, String result, int leafIndex, int leafCount,
    List<Digest> path, byte[] signature) {

  /** Longest audit path accepted: that of a tree with {@link Integer#MAX_VALUE} leaves. */
  public static final int MAX_PATH = 31;

  public Reply {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(validationCode, "validationCode");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(signature, "signature");
    if (leafCount < 1 || leafIndex < 0 || leafIndex >= leafCount) {
      throw new IllegalArgumentException("reply leaf " + leafIndex + " of " + leafCount
          + ": need 0 <= leafIndex < leafCount");
    }
    path = List.copyOf(Objects.requireNonNull(path, "path"));
    if (path.size() > MAX_PATH) {
      throw new IllegalArgumentException("reply audit path of " + path.size() + " digests, at most "
          + MAX_PATH);
    }
  }

  /** A reply that is its statement's only leaf (m = 1, empty path). */
  public Reply(long view, long timestamp, ClientId client, NodeId replica, String txId,
      long blockHeight, String validationCode, String result, byte[] signature) {
    this(view, timestamp, client, replica, txId, blockHeight, validationCode, result, 0, 1,
        List.of(), signature);
  }

  /**
   * What one transaction's reply says, before it is signed.
   *
   * @param timestamp t
   * @param client c
   * @param txId the transaction id
   * @param validationCode its validation code
   * @param result r
   */
  public record Outcome(long timestamp, ClientId client, String txId, String validationCode,
      String result) {
    public Outcome {
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(txId, "txId");
      Objects.requireNonNull(validationCode, "validationCode");
      Objects.requireNonNull(result, "result");
    }
  }

  /** Builds and signs the REPLY for one transaction alone (a statement of one leaf). */
  public static Reply sign(String clusterId, long view, long timestamp, ClientId client,
      NodeId replica, String txId, long blockHeight, String validationCode, String result,
      Authenticator auth) {
    return signBlock(clusterId, view, replica, blockHeight,
        List.of(new Outcome(timestamp, client, txId, validationCode, result)), auth).get(0);
  }

  /**
   * Signs one statement covering the REPLYs of a block's transactions, with one signature.
   *
   * @param outcomes the block's executed transactions in block order (at least one)
   * @return one reply per outcome, in the same order, each with its leaf index and audit path
   * @throws IllegalArgumentException when {@code outcomes} is empty
   */
  public static List<Reply> signBlock(String clusterId, long view, NodeId replica,
      long blockHeight, List<Outcome> outcomes, Authenticator auth) {
    if (outcomes.isEmpty()) {
      throw new IllegalArgumentException("a REPLY statement covers at least one transaction");
    }
    List<Digest> leaves = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) {
      leaves.add(leaf(clusterId, o.timestamp(), o.client(), o.txId(), blockHeight,
          o.validationCode(), o.result()));
    }
    MerkleTree tree = new MerkleTree(leaves);
    byte[] signature = auth.sign(statement(clusterId, view, replica, blockHeight, leaves.size(),
        tree.root()));
    List<Reply> out = new ArrayList<>(outcomes.size());
    for (int k = 0; k < outcomes.size(); k++) {
      Outcome o = outcomes.get(k);
      out.add(new Reply(view, o.timestamp(), o.client(), replica, o.txId(), blockHeight,
          o.validationCode(), o.result(), k, leaves.size(), tree.inclusionProof(k), signature));
    }
    return List.copyOf(out);
  }

  /** This reply's leaf: SHA-256 of its canonical ⟨REPLY-TX, cluster, t, c, txId, height, code, r⟩. */
  public Digest leaf(String clusterId) {
    return leaf(clusterId, timestamp, client, txId, blockHeight, validationCode, result);
  }

  private static Digest leaf(String clusterId, long timestamp, ClientId client, String txId,
      long blockHeight, String validationCode, String result) {
    return Digest.sha256(Canonical.begin("REPLY-TX", clusterId).i64(timestamp).str(client.value())
        .str(txId).i64(blockHeight).str(validationCode).str(result).toBytes());
  }

  private static byte[] statement(String clusterId, long view, NodeId replica, long blockHeight,
      int leafCount, Digest root) {
    return Canonical.begin("REPLY", clusterId).i64(view).i32(replica.index()).i64(blockHeight)
        .i32(leafCount).digest(root).toBytes();
  }

  /**
   * Canonical bytes the replica's signature covers: the statement ⟨REPLY, cluster, v, i, height,
   * m, root⟩ with root recomputed from this reply's leaf and audit path.
   *
   * @return empty when the path does not fit the leaf index and count (such a reply is invalid)
   */
  public Optional<byte[]> signedBytes(String clusterId) {
    return MerkleTree.rootFromPath(leaf(clusterId), leafIndex, leafCount, path)
        .map(root -> statement(clusterId, view, replica, blockHeight, leafCount, root));
  }

  /** True when the signature is the replica's valid signature for this cluster. */
  public boolean verify(String clusterId, Authenticator auth) {
    return signedBytes(clusterId).filter(b -> auth.verifyReplica(replica, b, signature))
        .isPresent();
  }
}
