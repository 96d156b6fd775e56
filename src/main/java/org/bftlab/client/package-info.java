/**
 * The real client (DESIGN.md: {@code bftlab client}): signs transactions with the client's
 * Ed25519 key, submits them to the nodes' HTTP API, and counts a transaction committed on f+1
 * matching replies from distinct replicas; the load generator that drives a {@code workload}
 * through it. {@link org.bftlab.client.BftlabClient} is the API; behind it {@code NodeHttp} (HTTP
 * plumbing), {@code Failover} (submission to the next node on failure), a {@link
 * org.bftlab.client.CommitWatcher} (polling now; push can replace it) counting replies in the
 * core's {@link org.bftlab.core.quorum.ReplyCertificate}, {@code NodeAnswer} (what a node said,
 * a sealed type), and the {@link org.bftlab.client.ReplyVerifier} built from the genesis keys.
 * Owns the HTTP conversation, commit watching and failover between nodes; must not
 * touch a node's actors, the transport or the simulator — it reaches a cluster over HTTP only, as
 * a remote client would ({@code LayeringTest}).
 */
package org.bftlab.client;
