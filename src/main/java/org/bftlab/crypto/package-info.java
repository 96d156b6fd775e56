/**
 * Key material and membership (DESIGN.md §3): Ed25519 signing and verification over the core's
 * canonical bytes (RFC 8032, Bouncy Castle lightweight API), key files (PEM PKCS#8, RFC 8410),
 * the genesis membership file, X.509 certificates under a cluster CA (as Hyperledger Fabric's
 * MSP / cryptogen), and {@link org.bftlab.crypto.GenesisAuthenticator}, the production
 * {@link org.bftlab.core.msg.Authenticator}.
 *
 * <p>Owns: private keys (never logged, never printed by {@code toString}), public keys, the
 * genesis file format and its validation, certificates, {@code cryptogen}.
 *
 * <p>Must not touch: consensus logic. This package answers "who signed these bytes?" and
 * nothing else; what the bytes mean is {@code org.bftlab.core}'s business. The core does not
 * depend on this package: it sees only the {@code Authenticator} interface.
 */
package org.bftlab.crypto;
