package org.bftlab.api;

import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/**
 * {@code GET /blocks/{height}} and {@code GET /blocks/head}: a block with its header fields
 * flattened and its transactions in execution order.
 *
 * <pre>{"height":3,"hash":"&lt;64 hex&gt;","previousHash":"&lt;64 hex&gt;","merkleRoot":"&lt;64 hex&gt;",
 *  "resultsDigest":"&lt;64 hex&gt;","txCount":1,
 *  "transactions":[{"txId":"&lt;64 hex&gt;","client":"client-0","timestamp":1,"contract":"token",
 *    "operation":"transfer","args":["client-0","client-1","5"],"validationCode":"VALID",
 *    "result":"ok"}]}</pre>
 *
 * @param height block height (>= 1)
 * @param hash the block (header) hash
 * @param previousHash hash of the block at height - 1 (all zeros for height 1)
 * @param merkleRoot Merkle root of the transactions' digests
 * @param resultsDigest digest of the validation codes and results
 * @param txCount number of transactions
 * @param transactions the transactions
 */
public record BlockView(long height, Digest hash, Digest previousHash, Digest merkleRoot,
    Digest resultsDigest, int txCount, List<Transaction> transactions) {

  /**
   * One transaction of a block (its signature is left out).
   *
   * @param txId transaction id
   * @param client the signing client
   * @param timestamp the client's timestamp t
   * @param contract contract name
   * @param operation operation name
   * @param args arguments
   * @param validationCode its validation code
   * @param result the contract's result or the rejection reason
   */
  public record Transaction(String txId, ClientId client, long timestamp, String contract,
      String operation, List<String> args, ValidationCode validationCode, String result) {

    /** The view of {@code entry}. */
    public static Transaction of(BlockEntry entry) {
      Request r = entry.transaction();
      return new Transaction(r.txId(), r.client(), r.timestamp(), r.contract(), r.operation(),
          r.args(), entry.code(), entry.result());
    }
  }

  /** The view of {@code block}. */
  public static BlockView of(Block block) {
    var h = block.header();
    return new BlockView(h.height(), block.hash(), h.previousHash(), h.merkleRoot(),
        h.resultsDigest(), h.txCount(), block.entries().stream().map(Transaction::of).toList());
  }
}
