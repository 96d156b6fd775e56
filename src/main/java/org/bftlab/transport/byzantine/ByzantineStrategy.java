package org.bftlab.transport.byzantine;

import java.util.List;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/**
 * Rewrites the messages one Byzantine node sends to other replicas (messages to itself never
 * cross the network and are not shown to it). One instance per node and run: strategies may keep
 * state (replay remembers what was sent). Deterministic given the {@link SendContext#random()}
 * draws. Obtain one from {@link ByzantineSpec#strategy()}.
 */
public sealed interface ByzantineStrategy
    permits Strategies.Honest, Strategies.Silent, Equivocator, Mutator, Strategies.Forger,
        Strategies.Replayer {
  /**
   * What is actually sent instead of {@code message} to {@code to}: nothing (omitted), the
   * message itself, one or more forgeries, or the message plus replayed old ones.
   */
  List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx);
}
