/**
 * Byzantine nodes at the transport boundary (DESIGN.md §4): a {@link
 * org.bftlab.transport.byzantine.ByzantineStrategy} rewrites what one node sends — silent,
 * equivocating primary, small-scope mutation (ByzzFuzz), forged signature, replay of old messages
 * — seeing the message, its destination, the virtual time in ticks, a seeded generator and the
 * node's own {@link org.bftlab.core.msg.Authenticator}, so what it forges carries valid
 * signatures where the attack wants them. The node's core stays the correct code: only its
 * outgoing messages lie. {@link org.bftlab.transport.byzantine.ByzantineSpec} is the
 * configuration (what a scenario file names), {@code ByzantineSpec.Twin} included — Twins (Bano
 * et al.), a second instance of a node with the same identity and key, which the simulator runs.
 * {@link org.bftlab.transport.byzantine.ByzantineTransport} applies a strategy on a live node.
 */
package org.bftlab.transport.byzantine;
