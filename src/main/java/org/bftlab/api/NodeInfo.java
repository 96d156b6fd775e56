package org.bftlab.api;

import org.bftlab.core.model.NodeId;

/**
 * Static facts about a node.
 *
 * @param clusterId the cluster id from the genesis file
 * @param nodeId this node
 * @param n replicas in the cluster
 * @param f faulty replicas tolerated, (n-1)/3
 */
public record NodeInfo(String clusterId, NodeId nodeId, int n, int f) {}
