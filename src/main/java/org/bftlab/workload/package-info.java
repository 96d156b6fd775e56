/**
 * Deterministic workloads: the same seed always gives the same signed-transaction steps, so the
 * simulator's virtual clients and the real HTTP client ({@code client load}, {@code demo},
 * {@code bench}) run the very same traffic. Owns the steps and what each should yield; pure
 * (JDK and core types only), must not touch a client, a node, the network or a clock.
 */
package org.bftlab.workload;
