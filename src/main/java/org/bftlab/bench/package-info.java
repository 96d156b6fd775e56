/**
 * {@code bftlab bench}: the standard closed-loop benchmark of a local multi-process cluster
 * (BFT-SMaRt's and CometBFT's shape): n replica processes and this process as the load, a
 * warm-up, then measured windows of throughput, latency and cost per committed transaction.
 * Owns measurement only; it drives the cluster through {@code org.bftlab.lab} and the client
 * library, never through a node's internals. Speed targets live here, not in unit tests.
 */
package org.bftlab.bench;
