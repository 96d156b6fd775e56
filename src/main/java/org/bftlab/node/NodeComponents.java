package org.bftlab.node;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.election.ElectionState;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.transport.PekkoTransport;
import org.bftlab.transport.fault.FaultyTransport;

/**
 * The running components of one node, as the guardian spawned them.
 *
 * @param election the ElectionActor
 * @param agreement the AgreementActor
 * @param blockCommit the BlockCommitActor
 * @param transport the node's Pekko transport (peer directory)
 * @param faults the fault-injecting decorator every outgoing message passes through
 * @param failure completed with the reason when a component stops for good and the node stops
 * @param recovered completed once every component has replayed its journal and recovered
 * @param committed signed REPLYs and status fields for reads without an ask ({@link CommittedIndex})
 */
public record NodeComponents(
    ActorRef<ComponentActor.Command<ElectionState>> election,
    ActorRef<ComponentActor.Command<AgreementState>> agreement,
    ActorRef<ComponentActor.Command<BlockCommitState>> blockCommit,
    PekkoTransport transport,
    FaultyTransport faults,
    CompletableFuture<String> failure,
    CompletableFuture<Void> recovered,
    CommittedIndex committed) {}
