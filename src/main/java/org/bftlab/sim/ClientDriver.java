package org.bftlab.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.quorum.ReplyCertificate;
import org.bftlab.workload.Workload;

/**
 * The simulated clients: the steps of a seeded {@link Workload}, signed, each submitted at its
 * planned tick to a node chosen from the seed; the setup mints first, the rest once every mint
 * has committed (as {@link Workload} requires). A transaction not committed {@code retryTicks}
 * ticks after its last submission is sent again to every node, as real clients do. A transaction
 * is committed once f+1 nodes executed it with the same (height, validation code, result) — the
 * REPLY rule of OSDI'99 §4.1; replies are modelled as reaching the client when the node's
 * {@code BlockCommitted} is durable.
 */
final class ClientDriver {
  /** How the driver hands a request to a node. */
  interface Sender {
    void submit(NodeId to, Request request);
  }

  private record Outcome(long height, int txIndex, String code, String result) {}

  private final class Tx {
    final Workload.Step step;
    final String txId;
    /** Null until due for a step with a read set (signed once its version is known). */
    Request request;
    final long planned;
    final NodeId target;
    long lastSend = -1;

    Tx(Workload.Step step, String txId, Request request, long planned, NodeId target) {
      this.step = step;
      this.txId = txId;
      this.request = request;
      this.planned = planned;
      this.target = target;
    }
  }

  private final List<Tx> txs = new ArrayList<>();
  private final int setup;
  private final List<NodeId> nodes;
  private final int f;
  private final long retryTicks;
  private final Sender sender;
  private final Map<String, ReplyCertificate<Outcome, NodeId>> replies = new HashMap<>();
  private final Map<String, Long> committedAt = new LinkedHashMap<>();
  /** The certified (height, index) of each committed transaction: the version its writes got. */
  private final Map<String, Outcome> certified = new HashMap<>();
  private final SimKeys keys;
  private final String clusterId;
  private final List<org.bftlab.core.model.ClientId> clients;

  /**
   * @param spacingTicks ticks between two planned submissions
   * @param rnd the clients' seeded generator (target nodes)
   */
  ClientDriver(Workload workload, SimKeys keys, String clusterId, List<NodeId> nodes, int f,
      long startTick, long spacingTicks, long retryTicks, SplittableRandom rnd, Sender sender) {
    this.nodes = List.copyOf(nodes);
    this.f = f;
    this.retryTicks = retryTicks;
    this.sender = sender;
    this.setup = workload.setupCount();
    this.keys = keys;
    this.clusterId = clusterId;
    this.clients = workload.clients();
    for (Workload.Step s : workload.steps()) {
      long timestamp = s.replayOf() >= 0 ? s.replayOf() + 1L : s.index() + 1L;
      var client = workload.clients().get(s.clientIndex());
      Request r = s.readAccount() != null ? null : Request.sign(clusterId, client, timestamp,
          s.contract(), s.operation(), s.args(), keys.clientSigner(client));
      NodeId target = nodes.get(rnd.nextInt(nodes.size()));
      txs.add(new Tx(s, Request.txId(clusterId, client, timestamp), r,
          startTick + s.index() * spacingTicks, target));
    }
  }

  /**
   * Signs a step with a read set: the account at the certified version of the step that wrote
   * it (a client knows where its own committed transaction landed: its f+1 REPLYs say so).
   */
  private Request signWithReads(Tx t) {
    Workload.Step s = t.step;
    Outcome wrote = certified.get(txs.get(s.readVersionOf()).txId);
    var id = clients.get(s.clientIndex());
    return Request.sign(clusterId, id, s.index() + 1L, s.contract(), s.operation(), s.args(),
        List.of(new ReadEntry("token", s.readAccount(), wrote.height(), wrote.txIndex())),
        keys.clientSigner(id));
  }


  /** Submits what is due and retransmits what is overdue at tick {@code now}. */
  void onTick(long now) {
    boolean setupDone = true;
    for (int i = 0; i < setup; i++) {
      setupDone &= isCommitted(txs.get(i).txId);
    }
    for (Tx t : txs) {
      if (t.lastSend < 0) {
        if (now >= t.planned && (t.step.index() < setup || setupDone)) {
          if (t.request == null) {
            t.request = signWithReads(t);
          }
          t.lastSend = now;
          sender.submit(t.target, t.request);
        }
      } else if (!isCommitted(t.txId) && now - t.lastSend >= retryTicks) {
        t.lastSend = now;
        for (NodeId n : nodes) {
          sender.submit(n, t.request);
        }
      }
    }
  }

  /** A node made {@code bc} durable: its REPLYs reach the clients. Returns newly committed txIds. */
  List<String> onExecuted(NodeId node, BlockCommitted bc, long now) {
    List<String> fresh = new ArrayList<>();
    Block block = bc.block();
    for (int i = 0; i < block.entries().size(); i++) {
      if (!bc.effects().get(i).indexed()) {
        continue;
      }
      BlockEntry e = block.entries().get(i);
      String txId = e.transaction().txId();
      Outcome o = new Outcome(block.height(), i, e.code().name(), e.result());
      boolean done = replies.computeIfAbsent(txId, k -> new ReplyCertificate<>(f))
          .add(node, o).isPresent();
      if (done && !committedAt.containsKey(txId)) {
        committedAt.put(txId, now);
        certified.put(txId, o);
        fresh.add(txId);
      }
    }
    return fresh;
  }

  /** True when f+1 matching outcomes were seen for {@code txId}. */
  boolean isCommitted(String txId) {
    return committedAt.containsKey(txId);
  }

  /** True when every transaction of the workload is committed. */
  boolean allCommitted() {
    for (Tx t : txs) {
      if (!isCommitted(t.txId)) {
        return false;
      }
    }
    return true;
  }

  /** Distinct transactions committed so far. */
  int committedCount() {
    return committedAt.size();
  }

  /** Distinct transaction ids of the workload. */
  long distinctTransactions() {
    return txs.stream().map(t -> t.txId).distinct().count();
  }
}
