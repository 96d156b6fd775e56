package org.bftlab.step;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bftlab.core.Component;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.Event;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.NodeRunner;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.election.ElectionCore;
import org.bftlab.core.election.ElectionState;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;

/**
 * One stepped replica: its three real core components, each with an in-memory journal that
 * survives a crash, and while it is up the {@link NodeRunner} that drives them (persist before
 * send: the runner journals a step's durable events before its outputs are routed).
 */
final class StepReplica {
  /** A component with its journal (the durable events, in order). */
  private static final class Journaled<S, E extends Event> {
    final Component<S, E> core;
    final List<E> journal = new ArrayList<>();
    ComponentRunner<S, E> runner;

    Journaled(Component<S, E> core) {
      this.core = core;
    }

    ComponentRunner<S, E> start() {
      runner = new ComponentRunner<>(core, journal::addAll);
      for (E e : List.copyOf(journal)) {
        runner.replay(e);
      }
      return runner;
    }
  }

  final NodeId id;
  final String label;
  private final Map<NodeRoute.Kind, Journaled<?, ?>> components =
      new EnumMap<>(NodeRoute.Kind.class);
  /** Null while crashed. */
  NodeRunner runner;

  private final ProtocolParams params;
  private final Authenticator auth;

  StepReplica(ProtocolParams params, NodeId id, Authenticator auth) {
    this.id = id;
    this.label = id.toString();
    this.params = params;
    this.auth = auth;
    fresh();
  }

  /** New cores with empty journals (and an empty chain): at start, and after amnesia. */
  private void fresh() {
    components.put(NodeRoute.Kind.ELECTION, new Journaled<>(new ElectionCore(params, id, auth)));
    components.put(NodeRoute.Kind.AGREEMENT, new Journaled<>(new AgreementCore(params, id, auth)));
    components.put(NodeRoute.Kind.BLOCK_COMMIT,
        new Journaled<>(new BlockCommitCore(params, id, auth)));
  }

  boolean up() {
    return runner != null;
  }

  /** Starts (or restarts) from the journals and returns the runner; the caller recovers it. */
  NodeRunner start(NodeRoute.Router router, NodeRunner.Observer observer) {
    runner = new NodeRunner(id, components.get(NodeRoute.Kind.ELECTION).start(),
        components.get(NodeRoute.Kind.AGREEMENT).start(),
        components.get(NodeRoute.Kind.BLOCK_COMMIT).start(), router).observe(observer);
    return runner;
  }

  /** Crash: the in-memory state is gone, the journals stay. */
  void crash() {
    runner = null;
    components.values().forEach(c -> c.runner = null);
  }

  /**
   * Amnesia: crashes (if up) and loses the journals and the chain, so a restart begins empty —
   * a storage fault, which counts toward f (OSDI'99 §2 assumes stable storage).
   */
  void wipe() {
    crash();
    fresh();
  }

  /** Durable events journaled by all three components (shown after a restart). */
  int journalSize() {
    return components.values().stream().mapToInt(c -> c.journal.size()).sum();
  }

  AgreementState agreement() {
    return runner.state(NodeRoute.Kind.AGREEMENT);
  }

  ElectionState election() {
    return runner.state(NodeRoute.Kind.ELECTION);
  }

  BlockCommitState blockCommit() {
    return runner.state(NodeRoute.Kind.BLOCK_COMMIT);
  }
}
