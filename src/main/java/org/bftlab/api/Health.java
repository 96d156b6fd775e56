package org.bftlab.api;

import org.bftlab.core.model.NodeId;

/**
 * {@code GET /health}: {@code {"status":"UP","nodeId":"node-0"}}. Answered without asking the
 * node's actors, so it says the HTTP server is up, not that the node has caught up.
 *
 * @param status always {@code UP}
 * @param nodeId this node
 */
public record Health(String status, NodeId nodeId) {}
