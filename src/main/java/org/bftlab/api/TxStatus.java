package org.bftlab.api;

import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.ValidationCode;

/**
 * A committed transaction as one node reports it.
 *
 * @param txId transaction id
 * @param blockHeight the block that holds it
 * @param txIndex its index in that block
 * @param validationCode its validation code
 * @param result the contract's result or the rejection reason
 * @param reply this node's signed REPLY ⟨v, t, c, i, r⟩ for it, with its leaf index and audit
 *     path in the block's signed REPLY statement ({@link Reply})
 */
public record TxStatus(String txId, long blockHeight, int txIndex, ValidationCode validationCode,
    String result, Reply reply) {}
