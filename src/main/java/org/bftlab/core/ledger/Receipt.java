package org.bftlab.core.ledger;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.ledger.BlockBuilder.Outcome;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/**
 * A receipt (Microsoft CCF's idea on a PBFT core): an offline proof that a transaction was
 * committed in a block of this cluster's chain with a given outcome, checked by {@link
 * ReceiptVerifier} with nothing but the genesis (cluster id and replica keys).
 *
 * <p><b>Design.</b> Replicas sign no block header; what 2f+1 of them do sign is the CHECKPOINT
 * ⟨n, d, i⟩ every K blocks (OSDI'99 §4.3), with d = SHA-256(hash(block n) || world-state root
 * at n). So a receipt links the transaction to a stable checkpoint's certificate:
 * <ol>
 *   <li>the transaction is leaf {@code txIndex} of the block's Merkle tree: {@code path} is its
 *       RFC 6962 §2.1.1 audit path to {@code header.merkleRoot};
 *   <li>its outcome is the {@code txIndex}-th of {@code outcomes}, whose digest is
 *       {@code header.resultsDigest};
 *   <li>{@code chain} holds the headers of blocks h+1 .. n, each naming the previous one's hash,
 *       so the hash of block n follows from {@code header} (at most K headers: the certificate is
 *       the lowest one at or above h this replica holds);
 *   <li>{@code certificate} holds at least 2f+1 CHECKPOINTs for (n, SHA-256(hash(block n) ||
 *       worldRoot)), from distinct members, each signature valid.
 * </ol>
 * Sound because at most f replicas are faulty: 2f+1 signers include f+1 correct replicas whose
 * chain ends at that block n, and correct replicas build one chain, so block h is the committed
 * one and the transaction and its outcome are in it.
 *
 * @param clusterId the cluster
 * @param transaction the client's signed request as ordered
 * @param txIndex its index in the block
 * @param code its validation code
 * @param result its result or rejection reason
 * @param header the header of the block that holds it
 * @param path the Merkle audit path of the transaction's digest, leaf first
 * @param outcomes every transaction's (code, result) in the block, in order
 * @param chain the headers of the blocks after it up to the certified checkpoint, in order
 * @param worldRoot the world-state root at the certified checkpoint
 * @param certificate the certified checkpoint's signed CHECKPOINTs, from 2f+1 to n distinct replicas
 */
public record Receipt(String clusterId, Request transaction, int txIndex, ValidationCode code,
    String result, BlockHeader header, List<Digest> path, List<Outcome> outcomes,
    List<BlockHeader> chain, Digest worldRoot, List<Checkpoint> certificate) {
  public Receipt {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(worldRoot, "worldRoot");
    path = List.copyOf(path);
    outcomes = List.copyOf(outcomes);
    chain = List.copyOf(chain);
    certificate = List.copyOf(certificate);
  }

  /** The transaction id. */
  public String txId() {
    return transaction.txId();
  }

  /** The height of the block that holds the transaction. */
  public long blockHeight() {
    return header.height();
  }

  /** The seqNo of the certified checkpoint: the last header's height. */
  public long checkpointSeqNo() {
    return chain.isEmpty() ? header.height() : chain.get(chain.size() - 1).height();
  }

  /**
   * What a replica answers for a receipt.
   */
  public sealed interface Answer {}

  /** The receipt. */
  public record Found(Receipt receipt) implements Answer {}

  /** The transaction is not in this replica's transaction index. */
  public record UnknownTx(String txId) implements Answer {}

  /**
   * The transaction is committed at {@code height} but no stable checkpoint at or above it is
   * certified here yet (one comes every K blocks once the cluster commits that far).
   */
  public record NotYetCovered(String txId, long height, long lastStableCheckpoint)
      implements Answer {}

  /**
   * The receipt of {@code txId} from {@code s}: its block, path, the headers up to the lowest
   * certified checkpoint at or above the block, and that checkpoint's certificate.
   *
   * @throws IllegalStateException when the block store lacks a block the index points at
   */
  public static Answer of(String clusterId, BlockCommitState s, String txId) {
    var rec = s.tx(txId);
    if (rec.isEmpty()) {
      return new UnknownTx(txId);
    }
    long h = rec.get().blockHeight();
    var cert = s.store().certificateCovering(h).filter(c -> c.seqNo() <= s.height());
    if (cert.isEmpty()) {
      return new NotYetCovered(txId, h, s.lastStableCheckpoint());
    }
    var block = s.block(h).orElseThrow(() -> new IllegalStateException("no block " + h));
    int i = rec.get().txIndex();
    var entry = block.entries().get(i);
    List<BlockHeader> chain = new java.util.ArrayList<>();
    for (long x = h + 1; x <= cert.get().seqNo(); x++) {
      long at = x;
      chain.add(s.block(at).orElseThrow(() -> new IllegalStateException("no block " + at))
          .header());
    }
    return new Found(new Receipt(clusterId, entry.transaction(), i, entry.code(), entry.result(),
        block.header(), BlockBuilder.merkleTree(block).inclusionProof(i),
        block.entries().stream().map(e -> new Outcome(e.code(), e.result())).toList(), chain,
        cert.get().worldRoot(), cert.get().checkpoints()));
  }
}
