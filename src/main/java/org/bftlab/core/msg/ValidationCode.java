package org.bftlab.core.msg;

/**
 * Why a transaction in a block did or did not change the world state — after Hyperledger
 * Fabric's {@code TxValidationCode}. Invalid transactions stay in their block, flagged.
 */
public enum ValidationCode {
  /** Executed; its write set was applied. */
  VALID,
  /** Not a well-formed call: unknown operation, wrong argument count, bad number, oversized. */
  MALFORMED,
  /** Addressed to another cluster (its cluster id is not this cluster's). */
  WRONG_CLUSTER,
  /** Signature does not verify under the client's registered key. */
  BAD_SIGNATURE,
  /** The client is not in the genesis membership. */
  UNKNOWN_CLIENT,
  /** Its (client, timestamp), hence its transaction id, is already in the chain. */
  DUPLICATE_TXID,
  /**
   * A version in its read set ({@link Request#readSet()}) is not the key's version as of this
   * transaction (committed state plus the block's earlier transactions): someone wrote the key
   * after the client read it. Its writes are discarded; the client reads again and resubmits.
   */
  MVCC_READ_CONFLICT,
  /** The contract refused it: overdraft, double spend, unknown contract, not the owner … */
  CONTRACT_REJECTED
}
