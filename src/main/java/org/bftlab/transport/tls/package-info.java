/**
 * Mutual TLS 1.3 between replicas on Pekko Artery ({@code tls-tcp}): an {@code SSLEngine}
 * factory whose key is the replica's Ed25519 genesis key and certificate, whose only trust
 * anchor is the cluster CA, and which accepts a peer only if its certificate carries a key the
 * genesis file lists for a replica (and names that replica). A process without such a
 * certificate cannot open a connection to a replica, so it cannot join the Pekko cluster, send
 * protocol messages or issue cluster commands such as {@code Down}.
 */
package org.bftlab.transport.tls;
