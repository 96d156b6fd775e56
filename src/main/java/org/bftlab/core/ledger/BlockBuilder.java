package org.bftlab.core.ledger;

import org.bftlab.core.msg.MerkleTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Canonical;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/**
 * Turns one committed batch into a block: validates and executes every request in order
 * against the world state overlaid with the block's earlier writes ({@link PendingState}), keeps
 * invalid transactions in the block with their code and reason (as Fabric does), and builds the
 * header. A transaction's read set is checked against that same overlay, so of two transactions
 * in one block that read the same version of a key, the first to write it makes the second
 * MVCC_READ_CONFLICT (sequential validation). A pure function of its inputs: every correct replica builds a byte-identical block.
 */
public final class BlockBuilder {
  private final TxValidator validator;

  public BlockBuilder(ProtocolParams params, Authenticator auth, Contracts contracts) {
    this.validator = new TxValidator(params, auth, contracts);
  }

  /**
   * A built block and what each of its transactions does.
   *
   * @param block the block
   * @param effects {@code effects.get(i)} is transaction i's effect; same size as the block
   */
  public record Built(Block block, List<TxEffect> effects) {
    public Built {
      Objects.requireNonNull(block, "block");
      effects = List.copyOf(effects);
      if (effects.size() != block.entries().size()) {
        throw new IllegalArgumentException("one effect per transaction: " + effects.size()
            + " effects, " + block.entries().size() + " transactions");
      }
    }
  }

  /**
   * Builds the block at {@code height}.
   *
   * @param height block height (= the batch's seqNo, >= 1)
   * @param previousHash hash of the block at height − 1, {@link Digest#ZERO} for height 1
   * @param batch the committed requests, in order
   * @param state the committed world state (not changed)
   * @param inChain true for a transaction id already indexed in the chain
   */
  public Built build(long height, Digest previousHash, List<Request> batch, StateView state,
      Predicate<String> inChain) {
    PendingState pending = new PendingState(state);
    Set<String> seenInBlock = new HashSet<>();
    List<BlockEntry> entries = new ArrayList<>(batch.size());
    List<TxEffect> effects = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Request request = batch.get(i);
      TxValidator.Outcome out = validator.validate(request, pending,
          id -> seenInBlock.contains(id) || inChain.test(id));
      if (out.attributable()) {
        seenInBlock.add(request.txId());
      }
      WriteSet ws = out.code() == ValidationCode.VALID ? out.writes() : WriteSet.EMPTY;
      pending.stage(ws, new Version(height, i));
      entries.add(new BlockEntry(request, out.code(), out.result()));
      effects.add(out.attributable() ? new TxEffect(true, ws) : TxEffect.NONE);
    }
    BlockHeader header = new BlockHeader(height, previousHash, merkleRoot(batch),
        resultsDigest(entries), entries.size());
    return new Built(new Block(header, entries), effects);
  }

  /** Merkle root ({@link MerkleTree}) over each transaction's {@link Request#digest()}. */
  public static Digest merkleRoot(List<Request> transactions) {
    return MerkleTree.rootOf(transactions.stream().map(Request::digest).toList());
  }

  /** The Merkle tree of a block's transactions, for inclusion proofs (receipts). */
  public static MerkleTree merkleTree(Block block) {
    return new MerkleTree(block.entries().stream().map(e -> e.transaction().digest()).toList());
  }

  /** SHA-256 over the canonical bytes of every entry's validation code and result, in order. */
  public static Digest resultsDigest(List<BlockEntry> entries) {
    return outcomesDigest(entries.stream().map(e -> new Outcome(e.code(), e.result())).toList());
  }

  /**
   * One transaction's validation code and result, as the header's results digest covers them.
   *
   * @param code the validation code
   * @param result the contract's result, or the reason
   */
  public record Outcome(ValidationCode code, String result) {
    public Outcome {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(result, "result");
    }
  }

  /** The results digest over every transaction's outcome, in block order. */
  public static Digest outcomesDigest(List<Outcome> outcomes) {
    Canonical c = Canonical.bare("BLOCK-RESULTS").i32(outcomes.size());
    for (Outcome o : outcomes) {
      c.str(o.code().name()).str(o.result());
    }
    return Digest.sha256(c.toBytes());
  }

  /**
   * Recomputes a block's Merkle root and results digest and compares them with its header;
   * true when both match.
   */
  public static boolean selfConsistent(Block block) {
    BlockHeader h = block.header();
    return h.merkleRoot().equals(merkleRoot(block.entries().stream()
            .map(BlockEntry::transaction).toList()))
        && h.resultsDigest().equals(resultsDigest(block.entries()));
  }
}
