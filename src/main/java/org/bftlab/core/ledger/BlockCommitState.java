package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.Checkpoint;

/**
 * The state of {@link BlockCommitCore}: the chain's head, the world state, the view, and the
 * checkpoint log (OSDI'99 §4.3), with the blocks and the per-transaction index read from the
 * {@link BlockStore}. Read through the getters; changed only by
 * {@link BlockCommitCore#apply} (package-private mutators). Mutable, not thread-safe, owned by
 * one shell.
 *
 * <p>The chain itself lives in a {@link BlockStore} (issue 9 item 7): the state holds the head
 * header and the last {@link #CACHED_BLOCKS} blocks only, so its memory does not grow with the
 * chain; the transaction index is in the store too ({@link #tx}), and only the world state grows
 * with the data. {@link #block} reads the cache, then the store.
 */
public final class BlockCommitState {
  /** How many of the most recent blocks the state keeps in memory besides the store. */
  public static final int CACHED_BLOCKS = 32;

  /** The chain; {@code transient}: outside the state proper (state fingerprints skip it). */
  private final transient BlockStore store;
  private final int checkpointInterval;
  /** The last {@link #CACHED_BLOCKS} blocks appended, by height. */
  private final TreeMap<Long, Block> recent = new TreeMap<>();
  private final WorldState world = new WorldState();
  private BlockHeader head;
  private long view;
  /** Checkpoint seqNo (executed, not yet stable) → world-state root there, for certificates. */
  private final TreeMap<Long, Digest> checkpointRoots = new TreeMap<>();

  private long lastStable;
  private Digest stableDigest = Digest.ZERO;
  private List<Checkpoint> stableProof = List.of();
  /** seqNo (> lastStable) → sender → logged CHECKPOINT (own included). */
  private final TreeMap<Long, Map<NodeId, Checkpoint>> checkpointLog = new TreeMap<>();
  /** seqNo (> lastStable) → this replica's own CHECKPOINT. */
  private final TreeMap<Long, Checkpoint> own = new TreeMap<>();
  /** Sender → its highest valid CHECKPOINT seen above H (not logged); volatile, <= n entries. */
  private final Map<NodeId, Checkpoint> far = new TreeMap<>();
  /** The state transfer in progress, or null; volatile. */
  private TransferProgress transfer;

  BlockCommitState(BlockStore store, int checkpointInterval) {
    this.store = java.util.Objects.requireNonNull(store, "store");
    this.checkpointInterval = checkpointInterval;
  }

  /** Block height of the head; 0 before the first block. */
  public long height() {
    return head == null ? 0 : head.height();
  }

  /** Hash of the head block; {@link Digest#ZERO} before the first block. */
  public Digest headHash() {
    return head == null ? Digest.ZERO : head.hash();
  }

  /** The highest executed seqNo; equals {@link #height()} (block height = seqNo). */
  public long lastExecutedSeqNo() {
    return height();
  }

  /** n of the last stable checkpoint; 0 when none (the low watermark h). */
  public long lastStableCheckpoint() {
    return lastStable;
  }

  /** d of the last stable checkpoint; {@link Digest#ZERO} when none. */
  public Digest lastStableDigest() {
    return stableDigest;
  }

  /**
   * The 2f+1 matching CHECKPOINTs that made the last checkpoint stable (its proof, as a
   * VIEW-CHANGE carries it in C); empty when none.
   */
  public List<Checkpoint> stableCheckpointProof() {
    return stableProof;
  }

  /**
   * The block at {@code height} (1..{@link #height()}), from the cache or the block store; empty
   * above the head, or when the store lacks it.
   */
  public Optional<Block> block(long height) {
    Block b = recent.get(height);
    if (b != null) {
      return Optional.of(b);
    }
    return height >= 1 && height <= height() ? store.block(height) : Optional.empty();
  }

  /** The head block; empty before the first block. */
  public Optional<Block> head() {
    return block(height());
  }

  /** The head block's header; empty before the first block. */
  public Optional<BlockHeader> headHeader() {
    return Optional.ofNullable(head);
  }

  /** How many blocks this state holds in memory (at most {@link #CACHED_BLOCKS}). */
  public int cachedBlocks() {
    return recent.size();
  }

  /** The block store behind {@link #block} (read it; only {@code apply} writes). */
  public BlockStore store() {
    return store;
  }

  /**
   * Every indexed transaction, by block height and index: reads every block from the store, so
   * O(chain) — for tests and tools, never the hot path.
   */
  List<TxRecord> txRecords() {
    List<TxRecord> out = new ArrayList<>();
    for (long h = 1; h <= height(); h++) {
      Block b = block(h).orElseThrow(() -> new IllegalStateException("no block in the store"));
      for (int i = 0; i < b.entries().size(); i++) {
        int at = i;
        tx(b.entries().get(i).transaction().txId())
            .filter(r -> r.blockHeight() == b.height() && r.txIndex() == at).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Every world-state entry in key order (a copy; for snapshots). */
  List<StateEntry> worldEntries() {
    return world.entries();
  }

  /** World-state roots at executed checkpoints not yet stable (a copy; for snapshots). */
  Map<Long, Digest> checkpointRoots() {
    return new TreeMap<>(checkpointRoots);
  }

  /**
   * The indexed transaction {@code txId}, if any: the store's record, unless it names a block
   * above this state's head (written before a crash, not in the journal).
   */
  public Optional<TxRecord> tx(String txId) {
    long top = height();
    return store.tx(txId).filter(r -> r.blockHeight() <= top);
  }

  /** True when {@code txId} is in the per-transaction index (see {@link #tx}). */
  public boolean hasTx(String txId) {
    return tx(txId).isPresent();
  }

  /** The world-state entry {@code contract/key}, if present. */
  public Optional<StateEntry> stateEntry(String contract, String key) {
    return world.get(contract, key);
  }

  /** The current view as this replica knows it (highest installed or committed-in view). */
  public long view() {
    return view;
  }

  /** Read-only access to the world state (do not mutate: use the core's events). */
  public StateView worldView() {
    return world;
  }

  /** The world-state root now. */
  public Digest worldRoot() {
    return world.root();
  }

  /** This replica's own CHECKPOINT at {@code seqNo}, if taken and not yet discarded. */
  public Optional<Checkpoint> ownCheckpoint(long seqNo) {
    return Optional.ofNullable(own.get(seqNo));
  }

  /** This replica's own CHECKPOINTs above the last stable one, in seqNo order. */
  public List<Checkpoint> ownCheckpoints() {
    return List.copyOf(own.values());
  }

  /** The logged CHECKPOINTs at {@code seqNo} by sender (read-only; own included). */
  public Map<NodeId, Checkpoint> checkpointsAt(long seqNo) {
    Map<NodeId, Checkpoint> m = checkpointLog.get(seqNo);
    return m == null ? Map.of() : Collections.unmodifiableMap(m);
  }

  /** Number of distinct senders of a logged CHECKPOINT for (seqNo, digest). */
  public int matchingCheckpoints(long seqNo, Digest digest) {
    return (int) checkpointsAt(seqNo).values().stream()
        .filter(c -> c.digest().equals(digest)).count();
  }

  /** The state transfer in progress, if any (volatile: empty after a restart). */
  public Optional<TransferProgress> transfer() {
    return Optional.ofNullable(transfer);
  }

  /**
   * The seqNos that have logged CHECKPOINTs (all above the last stable checkpoint and at most
   * L above it): what the checkpoint log holds besides the chain, for garbage-collection checks.
   */
  public List<Long> loggedCheckpointSeqNos() {
    return List.copyOf(checkpointLog.keySet());
  }

  /**
   * The highest seqNo above {@code above} with 2f+1 ({@code quorum}) logged CHECKPOINTs that
   * match, or 0 when none.
   */
  long highestCertifiedAbove(long above, int quorum) {
    for (Map.Entry<Long, Map<NodeId, Checkpoint>> e : checkpointLog.descendingMap().entrySet()) {
      if (e.getKey() <= above) {
        break;
      }
      Map<Digest, Integer> votes = new HashMap<>();
      for (Checkpoint c : e.getValue().values()) {
        if (votes.merge(c.digest(), 1, Integer::sum) >= quorum) {
          return e.getKey();
        }
      }
    }
    return 0;
  }

  /** Each sender's highest valid CHECKPOINT seen above H, kept for after a transfer (read-only). */
  public Map<NodeId, Checkpoint> farCheckpoints() {
    return Collections.unmodifiableMap(far);
  }

  /** A copy of the world state after the transfer's pending chunks (if any). */
  WorldState transferWorldCopy() {
    return transfer == null ? world.copy() : transfer.worldCopy(world);
  }

  /**
   * The index records of {@code block}'s transactions that {@code effects} index, committed in
   * {@code view}: each at its first occurrence, since BlockBuilder gives a repeated id
   * DUPLICATE_TXID, which is not indexed.
   */
  static List<TxRecord> records(Block block, List<TxEffect> effects, long view) {
    List<TxRecord> out = new ArrayList<>();
    for (int i = 0; i < effects.size(); i++) {
      if (effects.get(i).indexed()) {
        BlockEntry e = block.entries().get(i);
        out.add(new TxRecord(e.transaction().txId(), block.height(), i, e.code(), e.result(),
            e.transaction().client(), e.transaction().timestamp(), view));
      }
    }
    return out;
  }

  // ---- mutators: only BlockCommitCore.apply calls these ----

  void append(long commitView, Block block, List<TxEffect> effects) {
    long h = block.height();
    for (int i = 0; i < effects.size(); i++) {
      world.apply(effects.get(i).writes(), new Version(h, i));
    }
    if (h <= store.height() + 1) {
      store.append(block, records(block, effects, commitView)); // idempotent on replay
    } // else the store lost blocks below: recoveryError() refuses to run on it
    recent.put(h, block);
    if (recent.size() > CACHED_BLOCKS) {
      recent.pollFirstEntry();
    }
    head = block.header();
    if (h % checkpointInterval == 0) {
      checkpointRoots.put(h, world.root());
    }
    lastExecutedTick = ticks;
    view = Math.max(view, commitView);
    if (transfer != null) {
      // chunks verified against the old head no longer chain to the new one
      transfer.discardPending();
      if (transfer.target() <= h) {
        transfer = null;
      }
    }
  }

  /**
   * Rebuilds the ledger from a snapshot's summary (on a fresh state): head, world state,
   * view and the roots of checkpoints not yet stable (and the transaction index of a snapshot
   * written before it moved into the store); the blocks are in the store.
   */
  void restore(BlockCommitEvent.LedgerCompacted c) {
    if (head != null) {
      throw new IllegalStateException("LedgerCompacted applies to a fresh state only, not at"
          + " height " + height());
    }
    head = c.head();
    view = Math.max(view, c.view());
    for (StateEntry e : c.world()) {
      world.apply(WriteSet.of(Write.put(e.contract(), e.key(), e.value())), e.version());
    }
    if (!c.txs().isEmpty()) {
      store.index(c.txs()); // a snapshot from before the index moved into the store
    }
    checkpointRoots.putAll(c.checkpointRoots());
  }

  void requestState(long target, NodeId peer, List<NodeId> candidates, boolean discard) {
    if (transfer == null) {
      transfer = new TransferProgress(target, peer, candidates);
    } else {
      transfer.request(target, peer, candidates, discard);
    }
  }

  private long ticks;

  /** Ticks seen since this replica started (volatile). */
  public long ticks() {
    return ticks;
  }

  void tick() {
    ticks++;
  }

  /** Volatile STATUS pacing: tick of the last executed block, of the last STATUS sent, answers. */
  private long lastExecutedTick;
  private long lastStatusTick = Long.MIN_VALUE / 2;
  private final Map<NodeId, Long> statusAnswered = new TreeMap<>();

  /** The tick at which the last block was appended (0 after a restart; volatile). */
  public long lastExecutedTick() {
    return lastExecutedTick;
  }

  /** The tick at which this replica last sent its STATUS (very negative when never; volatile). */
  public long lastStatusTick() {
    return lastStatusTick;
  }

  /** The tick at which {@code peer}'s STATUS was last answered (very negative when never). */
  public long lastStatusAnswered(NodeId peer) {
    return statusAnswered.getOrDefault(peer, Long.MIN_VALUE / 2);
  }

  void statusSent(long atTick) {
    lastStatusTick = atTick;
  }

  void statusAnswered(NodeId peer, long atTick) {
    statusAnswered.put(peer, atTick);
  }

  void tickTransfer() {
    if (transfer != null) {
      transfer.tick();
    }
  }

  void addTransferChunk(List<Block> chunk, List<List<TxEffect>> effects) {
    if (transfer != null) {
      transfer.addChunk(chunk, effects, world);
    }
  }

  /**
   * Logs a verified certificate received in a state transfer (replacing whatever the same
   * senders sent for that seqNo) and ends the transfer; {@link #markStable} follows.
   */
  void transferred(List<Checkpoint> proof) {
    for (Checkpoint c : proof) {
      checkpointLog.computeIfAbsent(c.seqNo(), k -> new HashMap<>()).put(c.sender(), c);
    }
    transfer = null;
  }

  void keepFar(Checkpoint c) {
    Checkpoint old = far.get(c.sender());
    if (old == null || old.seqNo() < c.seqNo()) {
      far.put(c.sender(), c);
    }
  }

  void releaseFar() {
    far.clear();
  }

  void noteView(long v) {
    view = Math.max(view, v);
  }

  void logCheckpoint(Checkpoint c) {
    checkpointLog.computeIfAbsent(c.seqNo(), k -> new HashMap<>()).putIfAbsent(c.sender(), c);
  }

  void takeCheckpoint(Checkpoint c) {
    own.put(c.seqNo(), c);
    logCheckpoint(c);
  }

  void markStable(long seqNo, Digest digest) {
    List<Checkpoint> proof = new ArrayList<>();
    for (Checkpoint c : checkpointsAt(seqNo).values()) {
      if (c.digest().equals(digest)) {
        proof.add(c);
      }
    }
    proof.sort((a, b) -> a.sender().compareTo(b.sender()));
    lastStable = seqNo;
    stableDigest = digest;
    stableProof = List.copyOf(proof);
    Digest root = checkpointRoots.get(seqNo);
    Optional<Block> at = block(seqNo);
    if (root != null && at.isPresent()
        && BlockCommitCore.checkpointDigest(at.get().hash(), root).equals(digest)) {
      store.certify(new CheckpointCertificate(seqNo, root, stableProof));
    }
    checkpointRoots.headMap(seqNo, true).clear();
    checkpointLog.headMap(seqNo, true).clear();
    own.headMap(seqNo, true).clear();
  }
}
