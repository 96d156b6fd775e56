/**
 * The pure, deterministic consensus core (DESIGN.md §1).
 *
 * <p>Owns: the protocol's model types, messages and their canonical bytes, quorum arithmetic,
 * and the three components (agreement, election, block commit) as {@code decide/apply} state
 * machines in the style of etcd-io/raft's {@code Step}/{@code Ready}.
 *
 * <p>Must not touch: Pekko, wall or monotonic clocks,
 * threads, I/O, or unseeded randomness (an architecture test, {@code LayeringTest}, fails the
 * build otherwise). Time is counted in ticks that the caller feeds in;
 * signing and verification go through {@link org.bftlab.core.msg.Authenticator}, which the
 * caller supplies. {@code java.security.MessageDigest} (SHA-256) is allowed: it is pure.
 */
package org.bftlab.core;
