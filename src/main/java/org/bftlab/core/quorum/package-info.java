/**
 * Quorum arithmetic (n = 3f+1; 2f, 2f+1, f+1) and vote tallies that count each replica once.
 * Owns counting only; knows nothing of message contents beyond the key being voted on.
 */
package org.bftlab.core.quorum;
