/**
 * The Pekko shells: one ActorSystem per node, a guardian that spawns the ElectionActor,
 * AgreementActor and BlockCommitActor (each a {@link org.bftlab.node.ComponentActor} around its
 * core component, journaled to LevelDB under {@code <cluster>/<node>/<component>}), the wiring
 * of the transport and its network inbox, and the HTTP API's facade. Owns wiring, persistence
 * and lifecycle; must not contain protocol rules — those live in {@code org.bftlab.core}.
 */
package org.bftlab.node;
