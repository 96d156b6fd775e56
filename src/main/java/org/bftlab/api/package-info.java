/**
 * The node's HTTP API (pekko-http, JSON): transactions, blocks, status, world-state queries.
 * Owns routes, request parsing, gateway checks and HTTP status mapping; reaches the node only
 * through {@link org.bftlab.api.NodeFacade}, never actor internals.
 */
package org.bftlab.api;
