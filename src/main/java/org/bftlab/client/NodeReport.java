package org.bftlab.client;

import java.net.URI;
import org.bftlab.api.NodeStatus;

/**
 * One node's answer to {@code GET /status}.
 *
 * @param node the node's base URL
 * @param status its status; null when it could not be read
 * @param error why it could not be read; null when {@code status} is present
 */
public record NodeReport(URI node, NodeStatus status, String error) {
  /** True when the node answered with a status. */
  public boolean reachable() {
    return status != null;
  }
}
