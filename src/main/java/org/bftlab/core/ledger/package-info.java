/**
 * The ledger (Hyperledger Fabric's vocabulary): building blocks (height, previous-block hash,
 * the Merkle root of their transactions, per-transaction validation codes — the block records
 * themselves are in {@code core.msg}, as STATE-RESPONSE carries them); the versioned world
 * state; the built-in contracts; checkpoints of (block header, world-state root); state
 * transfer; and the block-commit component that turns committed batches into the chain. Must not
 * touch the network, Pekko, clocks or key material (signing goes through the Authenticator),
 * nor the agreement or election components (it talks to them through signals).
 */
package org.bftlab.core.ledger;
