package org.bftlab.core.msg;

import java.util.Objects;
import org.bftlab.core.model.ClientId;

/**
 * Where a transaction landed: the per-transaction index of the chain (transaction id →
 * location and outcome), used for duplicate detection and to answer REPLYs and queries.
 *
 * @param txId the transaction id
 * @param blockHeight the block that holds it (>= 1)
 * @param txIndex its index in that block (>= 0)
 * @param code its validation code
 * @param result the contract's result, or the rejection reason
 * @param client the signing client c
 * @param timestamp the client's timestamp t
 * @param view the view in which its batch was committed
 */
public record TxRecord(String txId, long blockHeight, int txIndex, ValidationCode code,
    String result, ClientId client, long timestamp, long view) {
  public TxRecord {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(client, "client");
    if (blockHeight < 1 || txIndex < 0) {
      throw new IllegalArgumentException("bad location (" + blockHeight + ", " + txIndex + ")");
    }
  }
}
