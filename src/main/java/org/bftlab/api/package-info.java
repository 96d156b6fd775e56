/**
 * The node's HTTP API (pekko-http, JSON): transactions, blocks, status, world-state queries.
 * Owns routes, request parsing, gateway checks and HTTP status mapping; reaches the node only
 * through {@link org.bftlab.api.NodeFacade}, never actor internals; must not touch the
 * transport (fault rules reach the node as their JSON text) nor the node package.
 */
package org.bftlab.api;
