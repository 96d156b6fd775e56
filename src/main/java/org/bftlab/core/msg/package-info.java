/**
 * Protocol messages of PBFT (Castro &amp; Liskov OSDI'99 §4): REQUEST, PRE-PREPARE, PREPARE,
 * COMMIT, CHECKPOINT, REPLY — sealed interfaces of validated records — and their canonical
 * bytes, the only bytes that are ever hashed or signed (never JSON, whose field order is not a
 * contract). Owns encoding and the {@link org.bftlab.core.msg.Authenticator} seam; must not
 * touch key material, Bouncy Castle, Jackson or any transport.
 */
package org.bftlab.core.msg;
