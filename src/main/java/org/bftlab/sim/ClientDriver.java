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

  private record Outcome(long height, String code, String result) {}

  private final class Tx {
    final Workload.Step step;
    final Request request;
    final long planned;
    final NodeId target;
    long lastSend = -1;

    Tx(Workload.Step step, Request request, long planned, NodeId target) {
      this.step = step;
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
    for (Workload.Step s : workload.steps()) {
      long timestamp = s.replayOf() >= 0 ? s.replayOf() + 1L : s.index() + 1L;
      var client = workload.clients().get(s.clientIndex());
      Request r = Request.sign(clusterId, client, timestamp, s.contract(), s.operation(),
          s.args(), keys.clientSigner(client));
      NodeId target = nodes.get(rnd.nextInt(nodes.size()));
      txs.add(new Tx(s, r, startTick + s.index() * spacingTicks, target));
    }
  }

  /** Submits what is due and retransmits what is overdue at tick {@code now}. */
  void onTick(long now) {
    boolean setupDone = true;
    for (int i = 0; i < setup; i++) {
      setupDone &= isCommitted(txs.get(i).request.txId());
    }
    for (Tx t : txs) {
      if (t.lastSend < 0) {
        if (now >= t.planned && (t.step.index() < setup || setupDone)) {
          t.lastSend = now;
          sender.submit(t.target, t.request);
        }
      } else if (!isCommitted(t.request.txId()) && now - t.lastSend >= retryTicks) {
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
      Outcome o = new Outcome(block.height(), e.code().name(), e.result());
      boolean certified = replies.computeIfAbsent(txId, k -> new ReplyCertificate<>(f))
          .add(node, o).isPresent();
      if (certified && !committedAt.containsKey(txId)) {
        committedAt.put(txId, now);
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
      if (!isCommitted(t.request.txId())) {
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
    return txs.stream().map(t -> t.request.txId()).distinct().count();
  }
}
