package org.bftlab.node;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bftlab.api.TxStatus;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.ProtocolParams;

/**
 * What the HTTP reads need, readable from any thread without asking an actor (issue 9 item 5):
 * the signed REPLY of the most recently executed transactions (signed once per block, when it
 * is durable: {@link Output.Executed}), the head and the protocol status fields that sibling
 * signals announce, and the listeners that push REPLYs to subscribed clients.
 *
 * <p>Written by the block-commit actor's output step (after the journal write: persist before
 * send) and by the node's signal routing; read by HTTP threads. Bounded: at most
 * {@code capacity} transactions, the oldest dropped first; a transaction not (or no longer) here
 * is answered the old way, by asking the block-commit actor.
 */
public final class CommittedIndex {
  /**
   * Transactions kept unless configured: 16 k × ~1 KB (a status with its REPLY, whose audit
   * path holds ~5 digests, shared with the block's other replies). That is 16 s of history at 1,000 tx/s: enough for pushes, for the
   * polling fallback of a client whose push is late, and for a txId asked on a reply socket; an
   * older transaction is read from the block-commit actor. 64 k entries held some 60–100 MiB of
   * a replica's 512 MiB bench heap.
   */
  public static final int DEFAULT_CAPACITY = 16_384;

  /**
   * The status fields that this index tracks; monotone, so an update from the actors and one from
   * signals merge by max.
   *
   * @param view installed view v
   * @param pendingView view being changed to (= view when none)
   * @param lastExecuted height = last executed seqNo
   * @param headHash head block hash ({@link Digest#ZERO} before the first)
   * @param stable last stable checkpoint seqNo = h
   */
  public record Head(long view, long pendingView, long lastExecuted, Digest headHash,
      long stable) {
    Head merge(Head o) {
      Head higher = o.lastExecuted > lastExecuted ? o : this;
      return new Head(Math.max(view, o.view), Math.max(pendingView, o.pendingView),
          higher.lastExecuted, higher.headHash, Math.max(stable, o.stable));
    }
  }

  private final BlockCommitCore signer;
  private final int capacity;
  private final ConcurrentHashMap<String, TxStatus> byTx = new ConcurrentHashMap<>();
  private final ArrayDeque<String> order = new ArrayDeque<>();
  private final List<Consumer<List<TxStatus>>> listeners = new CopyOnWriteArrayList<>();
  private final List<java.util.function.LongConsumer> stableListeners =
      new CopyOnWriteArrayList<>();
  private final AtomicLong executed = new AtomicLong();
  private final AtomicLong signatures = new AtomicLong();
  private volatile Head head = new Head(0, 0, 0, Digest.ZERO, 0);
  private volatile boolean seeded;

  /**
   * @param signer signs this replica's REPLYs, one statement per block
   *     ({@link BlockCommitCore#repliesFor})
   * @param capacity most transactions kept, >= 1
   */
  public CommittedIndex(BlockCommitCore signer, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.signer = signer;
    this.capacity = capacity;
  }

  /** An index for {@code params}' replica {@code self} (signing with {@code auth}). */
  public static CommittedIndex forReplica(ProtocolParams params,
      org.bftlab.core.model.NodeId self, org.bftlab.core.msg.Authenticator auth) {
    return new CommittedIndex(new BlockCommitCore(params, self, auth), DEFAULT_CAPACITY);
  }

  /**
   * A durable block: sign the REPLYs of the transactions it executed once, under one signature
   * for the block ({@link BlockCommitCore#repliesFor}), keep them, push them.
   */
  public void onExecuted(Output.Executed e) {
    List<TxRecord> block = e.executed();
    List<org.bftlab.core.msg.Reply> replies = signer.repliesFor(block, e.view());
    if (!replies.isEmpty()) {
      signatures.incrementAndGet();
    }
    List<TxStatus> statuses = new java.util.ArrayList<>(block.size());
    for (int k = 0; k < block.size(); k++) {
      TxRecord r = block.get(k);
      TxStatus s = new TxStatus(r.txId(), r.blockHeight(), r.txIndex(), r.code(), r.result(),
          replies.get(k));
      executed.incrementAndGet();
      keep(s);
      statuses.add(s);
    }
    if (!statuses.isEmpty()) {
      List<TxStatus> view = java.util.Collections.unmodifiableList(statuses);
      for (Consumer<List<TxStatus>> l : listeners) {
        l.accept(view);
      }
    }
    mergeHead(new Head(e.view(), e.view(), e.height(), e.headHash(), 0));
  }

  private synchronized void keep(TxStatus s) {
    if (byTx.putIfAbsent(s.txId(), s) == null) {
      order.addLast(s.txId());
      while (order.size() > capacity) {
        byTx.remove(order.removeFirst());
      }
    }
  }

  /** A sibling signal: view installed, view change started, checkpoint stable. */
  public void onSignal(Signal s) {
    if (s instanceof Signal.ViewInstalled vi) {
      mergeHead(new Head(vi.view(), vi.view(), 0, Digest.ZERO, vi.stableSeqNo()));
    } else if (s instanceof Signal.ViewChangeRequested vc) {
      mergeHead(new Head(0, vc.newView(), 0, Digest.ZERO, 0));
    } else if (s instanceof Signal.CheckpointStable cs) {
      mergeHead(new Head(0, 0, 0, Digest.ZERO, cs.seqNo()));
      stableListeners.forEach(l -> l.accept(cs.seqNo()));
    }
  }

  /** Merges what the actors answered once (after a start the signals have not said it yet). */
  public void seed(Head fromActors) {
    mergeHead(fromActors);
    seeded = true;
  }

  private synchronized void mergeHead(Head h) {
    head = head.merge(h);
  }

  /** True once {@link #seed} ran: {@link #head()} is then complete. */
  public boolean seeded() {
    return seeded;
  }

  /** The tracked status fields. */
  public Head head() {
    return head;
  }

  /** The kept status of {@code txId}, empty when unknown here (ask the actor then). */
  public Optional<TxStatus> transaction(String txId) {
    return Optional.ofNullable(byTx.get(txId));
  }

  /** Calls {@code listener} with the seqNo of each new stable checkpoint. */
  public void onStable(java.util.function.LongConsumer listener) {
    stableListeners.add(listener);
  }

  /** Transactions this replica executed (and replied to) since it started. */
  public long executed() {
    return executed.get();
  }

  /** REPLY statements signed so far by this index (one per block that executed transactions). */
  public long signatures() {
    return signatures.get();
  }

  /**
   * Calls {@code listener} once per block executed from now on, with the statuses of the
   * transactions it executed in block order (never empty; on the block-commit actor's thread:
   * it must not block); closing the handle stops it.
   */
  public AutoCloseable subscribe(Consumer<List<TxStatus>> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
