package org.bftlab.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;

/**
 * One node's three components (election, agreement, block commit), each in its {@link
 * ComponentRunner}, with {@link NodeRoute} between them: an input goes to the component that
 * owns it, the step's durable events are journaled by that runner, and only then are its outputs
 * routed (persist before send). The simulator, the stepper and the test harnesses drive nodes
 * through it; the Pekko shell runs each runner in its own actor and routes with {@link
 * NodeRoute#route} (the same table). Pure: when a signal or a message is delivered is the
 * router's business (a queue, a scheduler, a mailbox).
 */
public final class NodeRunner {
  /** Told of each step, before its outputs are routed (traces, observers). */
  public interface Observer {
    void stepped(NodeRoute.Kind kind, Input input, Decision<? extends Event> step);
  }

  private final NodeId self;
  private final Map<NodeRoute.Kind, ComponentRunner<?, ?>> runners =
      new EnumMap<>(NodeRoute.Kind.class);
  private final NodeRoute.Router router;
  private Observer observer = (k, in, d) -> {};

  /**
   * @param self this node
   * @param election its election runner
   * @param agreement its agreement runner
   * @param blockCommit its block-commit runner
   * @param router where outputs go
   */
  public NodeRunner(NodeId self, ComponentRunner<?, ?> election, ComponentRunner<?, ?> agreement,
      ComponentRunner<?, ?> blockCommit, NodeRoute.Router router) {
    this.self = Objects.requireNonNull(self, "self");
    runners.put(NodeRoute.Kind.ELECTION, Objects.requireNonNull(election, "election"));
    runners.put(NodeRoute.Kind.AGREEMENT, Objects.requireNonNull(agreement, "agreement"));
    runners.put(NodeRoute.Kind.BLOCK_COMMIT, Objects.requireNonNull(blockCommit, "blockCommit"));
    this.router = Objects.requireNonNull(router, "router");
  }

  /** Sets the observer told of every step; returns this. */
  public NodeRunner observe(Observer observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    return this;
  }

  public NodeId self() {
    return self;
  }

  /** The runner of component {@code kind}. */
  @SuppressWarnings("unchecked")
  public <S, E extends Event> ComponentRunner<S, E> runner(NodeRoute.Kind kind) {
    return (ComponentRunner<S, E>) runners.get(kind);
  }

  /** The state of component {@code kind}. */
  public <S> S state(NodeRoute.Kind kind) {
    return this.<S, Event>runner(kind).state();
  }

  /** Steps component {@code kind} with {@code input}, then routes the outputs. */
  public Decision<? extends Event> input(NodeRoute.Kind kind, Input input) {
    Decision<? extends Event> d = runners.get(kind).step(input);
    observer.stepped(kind, input, d);
    NodeRoute.route(d.outputs(), router);
    return d;
  }

  /** A network message, to the component that owns its type. */
  public Decision<? extends Event> deliver(ProtocolMessage m) {
    return input(NodeRoute.forMessage(m), new Input.Receive(m));
  }

  /** A client request submitted at this node's gateway (to agreement). */
  public Decision<? extends Event> submit(Request r) {
    return input(NodeRoute.Kind.AGREEMENT, new Input.Submit(r));
  }

  /** A sibling's signal, to component {@code to}. */
  public Decision<? extends Event> signal(NodeRoute.Kind to, Signal s) {
    return input(to, new Input.FromSibling(s));
  }

  /** One tick of component {@code kind}. */
  public Decision<? extends Event> tick(NodeRoute.Kind kind) {
    return input(kind, Input.TICK);
  }

  /** After replay: {@code recover()} of component {@code kind}, then its outputs routed. */
  public Decision<? extends Event> recover(NodeRoute.Kind kind) {
    Decision<? extends Event> d = runners.get(kind).recover();
    observer.stepped(kind, null, d);
    NodeRoute.route(d.outputs(), router);
    return d;
  }

  /** {@link #recover(NodeRoute.Kind)} of every component, in {@link NodeRoute.Kind} order. */
  public void recover() {
    for (NodeRoute.Kind k : NodeRoute.Kind.values()) {
      recover(k);
    }
  }
}
