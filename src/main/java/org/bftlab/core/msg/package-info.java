/**
 * Protocol messages of PBFT (Castro &amp; Liskov OSDI'99 §4): REQUEST, PRE-PREPARE, PREPARE,
 * COMMIT, CHECKPOINT, REPLY, VIEW-CHANGE, NEW-VIEW, STATUS and state transfer — sealed interfaces
 * of validated records — and their canonical bytes, the only bytes that are ever hashed or signed
 * (never JSON, whose field order is not a contract). Also the payload types messages carry: the
 * chain's {@link org.bftlab.core.msg.Block} (header, entries, validation codes — what
 * STATE-RESPONSE ships) and the stateless {@link org.bftlab.core.msg.RequestChecks} of a REQUEST.
 *
 * <p>Owns encoding and the {@link org.bftlab.core.msg.Authenticator} seam. It is the bottom of
 * the protocol: it depends on {@code core.model} only, never on a component (agreement,
 * election, ledger), and must not touch key material, Bouncy Castle, Jackson or any transport
 * ({@code LayeringTest}).
 */
package org.bftlab.core.msg;
