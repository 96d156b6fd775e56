/**
 * The real client (DESIGN.md: {@code bftlab client}): signs transactions with the client's
 * Ed25519 key, submits them to the nodes' HTTP API, and counts a transaction committed on f+1
 * matching replies from distinct replicas; the load generator that drives a {@code workload}
 * through it. Owns the HTTP conversation, commit watching and failover between nodes; must not
 * touch a node's actors, the transport or the simulator — it reaches a cluster over HTTP only, as
 * a remote client would ({@code LayeringTest}).
 */
package org.bftlab.client;
