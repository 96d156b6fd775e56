package org.bftlab.core.ledger;

import static org.bftlab.core.ledger.TestAuth.request;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;

/**
 * n {@link Driver}s joined by an in-memory FIFO network: outputs of one replica's decisions are
 * delivered to the others by {@link #run()}. Replicas in {@link #down} receive nothing; a
 * {@link #tamper} hook may rewrite or drop (null) any message in flight.
 */
final class Cluster {
  record Envelope(int from, int to, ProtocolMessage message) {}

  final ProtocolParams params;
  final List<Driver> nodes = new ArrayList<>();
  final Set<Integer> down = new HashSet<>();
  /** Every message handed to the network, in order (before tampering). */
  final List<Envelope> sent = new ArrayList<>();
  /** Per replica, the reasons of the (volatile) Rejected events it decided. */
  final List<List<String>> rejections = new ArrayList<>();
  /** Per replica, the sibling signals it emitted. */
  final List<List<Signal>> signals = new ArrayList<>();
  BiFunction<Envelope, ProtocolMessage, ProtocolMessage> tamper = (e, m) -> m;
  private final Deque<Envelope> queue = new ArrayDeque<>();

  Cluster(ProtocolParams params) {
    this.params = params;
    for (int i = 0; i < params.n(); i++) {
      nodes.add(new Driver(params, i));
      signals.add(new ArrayList<>());
      rejections.add(new ArrayList<>());
    }
  }

  Driver node(int i) {
    return nodes.get(i);
  }

  /** The batch every test commits at {@code seqNo}: a kv put and a token mint. */
  static List<Request> batch(long seqNo) {
    return List.of(request("client-0", seqNo, "kv", "put", "k" + seqNo, "v" + seqNo),
        request("client-1", seqNo, "token", "mint", "client-1", "" + seqNo));
  }

  /** Commits {@code batch(seqNo)} on every replica that is up, then delivers all messages. */
  void commitEverywhere(long seqNo) {
    for (int i = 0; i < nodes.size(); i++) {
      if (!down.contains(i)) {
        post(i, nodes.get(i).commit(0, seqNo, batch(seqNo)));
      }
    }
    run();
  }

  /** Commits seqNos {@code from..to} on every replica that is up. */
  void commitEverywhere(long from, long to) {
    for (long n = from; n <= to; n++) {
      commitEverywhere(n);
    }
  }

  /** Feeds {@code input} to replica {@code i}, queues its outputs, returns its decision. */
  Decision<BlockCommitEvent> step(int i, Input input) {
    Decision<BlockCommitEvent> d = nodes.get(i).step(input);
    d.events().stream().filter(e -> e instanceof BlockCommitEvent.Rejected)
        .forEach(e -> rejections.get(i).add(((BlockCommitEvent.Rejected) e).reason()));
    post(i, d);
    return d;
  }

  /** Queues a decision's outputs (sends, multicasts; sibling signals are recorded). */
  void post(int from, Decision<BlockCommitEvent> d) {
    for (Output o : d.outputs()) {
      if (o instanceof Output.Send s) {
        enqueue(new Envelope(from, s.to().index(), s.message()));
      } else if (o instanceof Output.Multicast m) {
        for (int to = 0; to < nodes.size(); to++) {
          if (to != from) {
            enqueue(new Envelope(from, to, m.message()));
          }
        }
      } else if (o instanceof Output.ToSibling t) {
        signals.get(from).add(t.signal());
      }
    }
  }

  private void enqueue(Envelope e) {
    sent.add(e);
    queue.add(e);
  }

  /** Delivers queued messages (and those they cause) until none is left. */
  void run() {
    int steps = 0;
    while (!queue.isEmpty()) {
      if (++steps > 100_000) {
        throw new IllegalStateException("no quiescence");
      }
      Envelope e = queue.poll();
      if (down.contains(e.to())) {
        continue;
      }
      ProtocolMessage m = tamper.apply(e, e.message());
      if (m != null) {
        step(e.to(), new Input.Receive(m));
      }
    }
  }

  /** Messages of {@code type} sent so far from {@code from} to {@code to} (-1: anyone). */
  <M extends ReplicaMessage> List<M> sentOf(Class<M> type, int from, int to) {
    return sent.stream().filter(e -> type.isInstance(e.message()))
        .filter(e -> from < 0 || e.from() == from).filter(e -> to < 0 || e.to() == to)
        .map(e -> type.cast(e.message())).toList();
  }
}
