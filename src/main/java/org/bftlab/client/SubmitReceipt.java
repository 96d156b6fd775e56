package org.bftlab.client;

import java.net.URI;
import org.bftlab.api.TxStatus;

/**
 * A node's gateway took a transaction: either accepted it for ordering (HTTP 202) or reported
 * it as already committed (HTTP 200, a retransmission). One node's word only: wait for f+1
 * matching replies with {@link BftlabClient#awaitCommitted} before trusting an outcome.
 *
 * @param txId the transaction id (SHA-256 of cluster, client, timestamp; hex)
 * @param node the node that answered
 * @param attempts nodes tried, including the one that answered (> 1 after a failover)
 * @param committedStatus that node's committed status when it answered 200; null for 202
 */
public record SubmitReceipt(String txId, URI node, int attempts, TxStatus committedStatus) {
  /** True when the node answered 200: the transaction was already in its chain. */
  public boolean alreadyCommitted() {
    return committedStatus != null;
  }
}
