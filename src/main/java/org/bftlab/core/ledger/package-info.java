/**
 * The ledger (Hyperledger Fabric's vocabulary): blocks with height, previous-block hash and the
 * Merkle root of their transactions; per-transaction validation codes; the versioned world
 * state; the built-in contracts; checkpoints of (block header, world-state root); and the
 * block-commit component that turns committed batches into the chain. Must not touch the
 * network, Pekko, clocks or key material (signing goes through the Authenticator).
 */
package org.bftlab.core.ledger;
