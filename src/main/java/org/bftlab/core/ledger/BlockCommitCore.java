package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bftlab.core.Component;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointAccepted;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointStable;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointMismatch;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointTaken;
import org.bftlab.core.ledger.BlockCommitEvent.Rejected;
import org.bftlab.core.ledger.BlockCommitEvent.StateChunkVerified;
import org.bftlab.core.ledger.BlockCommitEvent.StateDiverged;
import org.bftlab.core.ledger.BlockCommitEvent.StateRequested;
import org.bftlab.core.ledger.BlockCommitEvent.StateTransferTicked;
import org.bftlab.core.ledger.BlockCommitEvent.StateTransferred;
import org.bftlab.core.ledger.BlockCommitEvent.ViewNoted;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.Status;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.quorum.Quorums;

/**
 * The block-commit component (DESIGN.md §2): executes committed batches in seqNo order into
 * hash-chained blocks, keeps the world state and (in its block store) the transaction index,
 * takes checkpoints every K sequence numbers and collects them until stable (Castro &amp;
 * Liskov OSDI'99 §4.3).
 *
 * <ul>
 *   <li>{@code FromSibling(BatchCommitted)} at seqNo = lastExecuted + 1 → {@link BlockCommitted}
 *       (validation and execution happen here, in {@code decide}; {@code apply} only applies
 *       the recorded effects). Lower seqNos (re-delivery after a restart) and higher ones (a gap:
 *       caught up by state transfer, below) are ignored. At seqNo ≡ 0 (mod K) also
 *       {@link CheckpointTaken} with d = SHA-256(block hash || world-state root) and {@code Multicast(own)}.
 *       Every BatchCommitted, executed now or not, is passed on to election as {@code
 *       ToSibling(BatchExecuted)}, ahead of any stable checkpoint the block makes.
 *   <li>{@code FromSibling(RequestPending)} → {@code ToSibling(RequestAwaited)} to election unless
 *       the transaction is executed here already — by a block of this chain, or by a state
 *       transfer that agreement never saw (OSDI'99 §4.4: a backup waits for a request it "has not
 *       executed"; a relayed copy arriving after the transfer would otherwise time a request that
 *       never runs again, and force a view change).
 *   <li>{@code Receive(Checkpoint)}: checked (member sender, signature, multiple of K, within
 *       (h, h + L]), logged as {@link CheckpointAccepted}; 2f+1 matching (n, d) from distinct
 *       replicas, this one's own among them, with n above the last stable checkpoint →
 *       {@link CheckpointStable} and {@code ToSibling(Signal.CheckpointStable(n, d))}. Messages
 *       at or below the last stable checkpoint are dropped; invalid ones give {@link Rejected}.
 *   <li>State transfer ({@link StateTransfer}, OSDI'99 §4.3): 2f+1 matching logged CHECKPOINTs
 *       for an n above this replica's height (a certificate it did not take part in), or a
 *       valid CHECKPOINT more than L above its height (not logged: bounded memory), start a
 *       transfer: {@link StateRequested} and {@code Send(peer, StateRequest)}.
 *       {@code Receive(StateResponse)} is verified and re-executed before anything is persisted
 *       ({@link BlockCommitted}…, {@link StateTransferred}, {@link CheckpointStable});
 *       {@code Receive(StateRequest)} is served from the chain; {@code Tick} rotates to the
 *       next peer after {@code retransmitTicks} ticks without an answer.
 *   <li>{@code FromSibling(ViewInstalled)} with a higher view → {@link ViewNoted}.
 *   <li>STATUS ({@link StatusExchange}): multicast while idle and at recovery; a peer's STATUS
 *       showing this replica behind a stable checkpoint starts a state transfer, one showing
 *       the peer behind is answered (own STATUS, {@code Signal.PeerBehind} to agreement).
 *   <li>Recovery ({@link #recover}, after the journal is replayed; no event): {@code
 *       ToSibling(Signal.CheckpointStable(n, d, C))} for the last stable checkpoint when n &gt; 0
 *       (a crash may have come between its {@link CheckpointStable} and the siblings journaling
 *       their reaction; they ignore one at or below what they hold), {@code Multicast} of each
 *       own CHECKPOINT above it (a crash may have cut the multicast short), and {@code
 *       Multicast} of this replica's STATUS.
 * </ul>
 *
 * Replies to clients: each {@link BlockCommitted} comes with {@link Output.Executed}, on which
 * the shell signs the block's REPLYs once, under one signature ({@link #repliesFor}), after the
 * block is durable.
 */
public final class BlockCommitCore implements Component<BlockCommitState, BlockCommitEvent> {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final BlockBuilder builder;
  private final int quorum;
  private final StateTransfer transfer;
  private final StatusExchange status;
  private final BlockStore store;

  /** A core with the built-in contracts ({@link Contracts#builtin()}), its chain in memory. */
  public BlockCommitCore(ProtocolParams params, NodeId self, Authenticator auth) {
    this(params, self, auth, Contracts.builtin());
  }

  /** A core with the built-in contracts, keeping its chain in {@code store}. */
  public BlockCommitCore(ProtocolParams params, NodeId self, Authenticator auth,
      BlockStore store) {
    this(params, self, auth, Contracts.builtin(), store);
  }

  /** A core with the given contracts, its chain in memory ({@link InMemoryBlockStore}). */
  public BlockCommitCore(ProtocolParams params, NodeId self, Authenticator auth,
      Contracts contracts) {
    this(params, self, auth, contracts, new InMemoryBlockStore());
  }

  /**
   * A core with the given contracts, keeping its chain in {@code store}: every state it makes
   * ({@link #initialState()}, a restart's too) reads and appends blocks there.
   *
   * @throws IllegalArgumentException if {@code self} is not a member
   */
  public BlockCommitCore(ProtocolParams params, NodeId self, Authenticator auth,
      Contracts contracts, BlockStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.params = Objects.requireNonNull(params, "params");
    this.self = Objects.requireNonNull(self, "self");
    this.auth = Objects.requireNonNull(auth, "auth");
    if (!params.isMember(self)) {
      throw new IllegalArgumentException(self + " is not a replica of " + params.clusterId());
    }
    this.builder = new BlockBuilder(params, auth, Objects.requireNonNull(contracts, "contracts"));
    this.quorum = new Quorums(params.n()).commit();
    this.transfer = new StateTransfer(params, self, auth, builder, quorum);
    this.status = new StatusExchange(params, self, auth, transfer);
  }

  @Override
  public BlockCommitState initialState() {
    return new BlockCommitState(store, params.checkpointInterval());
  }

  @Override
  public void decide(BlockCommitState s, Input input, Decision.Builder<BlockCommitEvent> d) {
    if (input instanceof Input.FromSibling fs) {
      if (fs.signal() instanceof Signal.BatchCommitted bc) {
        onBatchCommitted(s, bc, d);
      } else if (fs.signal() instanceof Signal.RequestPending rp) {
        if (!s.hasTx(rp.txId())) {
          d.output(new Output.ToSibling(new Signal.RequestAwaited(rp.txId())));
        }
      } else if (fs.signal() instanceof Signal.ViewInstalled vi && vi.view() > s.view()) {
        d.persist(new ViewNoted(vi.view()));
      } else if (fs.signal() instanceof Signal.StateBehind behind && behind.seqNo() > s.height()) {
        // a peer's messages show its stable checkpoint is above this chain: catch up
        transfer.start(s, behind.seqNo(), List.of(behind.peer()), d);
      } else if (fs.signal() instanceof Signal.StateTransferNeeded need
          && need.seqNo() > s.height()) {
        // a NEW-VIEW's min-s is above this replica's chain: fetch up to it (OSDI'99 §4.4)
        List<NodeId> signers = need.proof().stream().map(Checkpoint::sender).distinct().toList();
        transfer.start(s, need.seqNo(), signers, d);
      }
    } else if (input instanceof Input.Receive r) {
      if (r.message() instanceof Checkpoint c) {
        onCheckpoint(s, c, d);
      } else if (r.message() instanceof Status st) {
        status.onStatus(s, st, d);
      } else if (r.message() instanceof StateRequest req) {
        transfer.onRequest(s, req, d);
      } else if (r.message() instanceof StateResponse resp) {
        transfer.onResponse(s, resp, d);
      }
    } else if (input instanceof Input.Tick) {
      d.persist(new BlockCommitEvent.Ticked());
      d.settle();
      announceStable(s, d);
      status.onTick(s, s.ticks(), d);
      transfer.onTick(s, d);
    }
  }

  @Override
  public BlockCommitState apply(BlockCommitState s, BlockCommitEvent event) {
    if (event instanceof BlockCommitted bc) {
      if (bc.block().height() != s.height() + 1) {
        throw new IllegalStateException("BlockCommitted at height " + bc.block().height()
            + " does not follow height " + s.height());
      }
      s.append(bc.view(), bc.block(), bc.effects());
    } else if (event instanceof BlockCommitEvent.LedgerCompacted lc) {
      s.restore(lc);
    } else if (event instanceof CheckpointTaken ct) {
      s.takeCheckpoint(ct.own());
    } else if (event instanceof CheckpointAccepted ca) {
      s.logCheckpoint(ca.checkpoint());
    } else if (event instanceof CheckpointStable cs) {
      s.markStable(cs.seqNo(), cs.digest());
    } else if (event instanceof ViewNoted vn) {
      s.noteView(vn.view());
    } else if (event instanceof StateTransferred st) {
      s.transferred(st.proof());
    } else if (event instanceof StateRequested sr) {
      s.requestState(sr.target(), sr.peer(), sr.candidates(), sr.discardPending());
    } else if (event instanceof BlockCommitEvent.Ticked) {
      s.tick();
    } else if (event instanceof StateTransferTicked) {
      s.tickTransfer();
    } else if (event instanceof StateChunkVerified cv) {
      s.addTransferChunk(cv.blocks(), cv.effects());
    } else if (event instanceof BlockCommitEvent.FarCheckpointKept fk) {
      s.keepFar(fk.checkpoint());
    } else if (event instanceof BlockCommitEvent.FarCheckpointsReleased) {
      s.releaseFar();
    } else if (event instanceof BlockCommitEvent.StatusSent ss) {
      s.statusSent(ss.atTick());
    } else if (event instanceof BlockCommitEvent.StatusAnswered sa) {
      s.statusAnswered(sa.peer(), sa.atTick());
    } else if (!(event instanceof Rejected) && !(event instanceof CheckpointMismatch)
        && !(event instanceof StateDiverged)) { // trace only
      throw new IllegalArgumentException("BlockCommitCore.apply has no rule for "
          + event.getClass().getSimpleName());
    }
    return s;
  }

  /**
   * What a snapshot keeps (garbage collection at the stable checkpoint, OSDI'99 §4.3): the
   * checkpoint messages and proof of the last stable checkpoint and above, and the latest view;
   * checkpoint traffic below the stable checkpoint is dropped. No {@link BlockCommitted} nor
   * an older {@link BlockCommitEvent.LedgerCompacted}: {@link #compact} replaces them all with one
   * summary, the blocks staying in the {@link BlockStore}.
   */
  @Override
  public boolean retains(BlockCommitState s, BlockCommitEvent event) {
    long stable = s.lastStableCheckpoint();
    if (event instanceof BlockCommitEvent.CheckpointTaken e) {
      return e.own().seqNo() >= stable;
    } else if (event instanceof BlockCommitEvent.CheckpointAccepted e) {
      return e.checkpoint().seqNo() >= stable;
    } else if (event instanceof BlockCommitEvent.CheckpointStable e) {
      return e.seqNo() >= stable;
    } else if (event instanceof BlockCommitEvent.StateTransferred e) {
      return e.seqNo() >= stable;
    } else if (event instanceof BlockCommitEvent.ViewNoted e) {
      return e.view() >= s.view();
    }
    if (event instanceof BlockCommitted || event instanceof BlockCommitEvent.LedgerCompacted) {
      return false; // summarised by compact(); the blocks are in the store
    }
    throw new IllegalArgumentException("retains has no rule for "
        + event.getClass().getSimpleName() + " (a volatile event is never journaled)");
  }

  /**
   * A snapshot: {@link BlockCommitEvent.LedgerCompacted} (head header, world state, view, roots
   * of checkpoints not yet stable; the transaction index is in the block store) first, then the
   * retained checkpoint and view events in order; no block. The store is synced first, since the journal below the
   * snapshot — where the blocks also are — is deleted once it is saved.
   */
  @Override
  public List<BlockCommitEvent> compact(BlockCommitState s, List<BlockCommitEvent> events) {
    List<BlockCommitEvent> kept = new ArrayList<>();
    if (s.height() > 0) {
      s.store().sync();
      kept.add(new BlockCommitEvent.LedgerCompacted(s.view(), s.headHeader().orElseThrow(),
          s.worldEntries(), List.of(), s.checkpointRoots())); // the tx index is in the store
    }
    for (BlockCommitEvent e : events) {
      if (retains(s, e)) {
        kept.add(e);
      }
    }
    return kept;
  }

  /**
   * A block store shorter than the recovered head (its blocks lost while the journal's snapshot
   * says they were built): this replica cannot serve its chain, nor re-fill it from the journal,
   * whose blocks went into the snapshot's summary.
   */
  @Override
  public Optional<String> recoveryError(BlockCommitState s) {
    long held = s.store().height();
    if (held >= s.height() && s.head().map(b -> b.hash().equals(s.headHash())).orElse(true)) {
      return Optional.empty();
    }
    return Optional.of("the block store holds blocks up to height " + held + " but the journal's"
        + " head is block " + s.height() + " (" + s.headHash().shortHex() + "): the store lost"
        + " blocks this replica built; refusing to run without them. Restore the data directory"
        + " from a backup, or move it away so that the node starts empty and catches up by state"
        + " transfer");
  }

  @Override
  public void recover(BlockCommitState s, Decision.Builder<BlockCommitEvent> d) {
    // the siblings journal their reaction to a stable checkpoint after this component journals
    // it: a crash in between leaves election (whose VIEW-CHANGE carries "n, the sequence number
    // of the last stable checkpoint s known to i", OSDI'99 §4.4) and agreement (its low
    // watermark, §4.3) below it. Tell them again; each ignores one at or below its own.
    if (s.lastStableCheckpoint() > 0) {
      d.output(new Output.ToSibling(new Signal.CheckpointStable(s.lastStableCheckpoint(),
          s.lastStableDigest(), s.stableCheckpointProof())));
    }
    for (Checkpoint c : s.ownCheckpoints()) {
      d.output(new Output.Multicast(c));
    }
    // on restart: tell the peers where this replica stands, so that one behind an idle cluster
    // learns it at once (STATUS, Castro's thesis §5.2)
    d.output(new Output.Multicast(status.status(s)));
  }

  /**
   * This replica's signed REPLY ⟨v, t, c, i, r⟩ for {@code txId} (OSDI'99 §4.1), with v the
   * current view (so the client learns the primary), t and c from the request, i = this replica,
   * and r the result or reason together with the block height and validation code. Pure: signs
   * at query time (the Authenticator is deterministic, so the same state gives the same bytes).
   *
   * @return empty when {@code txId} is not in this replica's transaction index
   */
  public Optional<Reply> replyFor(BlockCommitState s, String txId) {
    return s.tx(txId).map(r -> replyFor(r, s.view()));
  }

  /**
   * This replica's signed REPLY for the indexed transaction {@code r} alone (a statement of one
   * leaf), in view max({@code view}, r.view).
   */
  public Reply replyFor(TxRecord r, long view) {
    return Reply.sign(params.clusterId(), Math.max(view, r.view()), r.timestamp(), r.client(),
        self, r.txId(), r.blockHeight(), r.code().name(), r.result(), auth);
  }

  /**
   * This replica's REPLYs for the transactions one block executed — what {@link Output.Executed}
   * asks the shell to sign — under one signature ({@link Reply#signBlock}), in view
   * max({@code view}, each record's view).
   *
   * @param block the block's indexed transactions in block order, all of one height
   * @return one reply per record, in order; empty for an empty list
   * @throws IllegalArgumentException when the records are not all of one block height
   */
  public List<Reply> repliesFor(List<TxRecord> block, long view) {
    if (block.isEmpty()) {
      return List.of();
    }
    long height = block.get(0).blockHeight();
    long v = view;
    List<Reply.Outcome> outcomes = new ArrayList<>(block.size());
    for (TxRecord r : block) {
      if (r.blockHeight() != height) {
        throw new IllegalArgumentException("replies of one block: height " + r.blockHeight()
            + " next to " + height);
      }
      v = Math.max(v, r.view());
      outcomes.add(new Reply.Outcome(r.timestamp(), r.client(), r.txId(), r.code().name(),
          r.result()));
    }
    return Reply.signBlock(params.clusterId(), v, self, height, outcomes, auth);
  }

  /**
   * The checkpoint digest d at a height: SHA-256(block hash || world-state root), the 32 raw
   * bytes of each.
   */
  public static Digest checkpointDigest(Digest blockHash, Digest worldRoot) {
    return Digest.sha256(blockHash, worldRoot);
  }

  private void onBatchCommitted(BlockCommitState s, Signal.BatchCommitted bc,
      Decision.Builder<BlockCommitEvent> d) {
    Signal.BatchExecuted toElection = new Signal.BatchExecuted(bc.view(), bc.seqNo(),
        bc.batch().stream().map(Request::txId).toList());
    if (bc.seqNo() != s.lastExecutedSeqNo() + 1) {
      // executed already (re-delivery), or a gap (closed by state transfer)
      d.output(new Output.ToSibling(toElection));
      return;
    }
    BlockBuilder.Built built = builder.build(bc.seqNo(), s.headHash(), bc.batch(), s.worldView(),
        s::hasTx);
    d.persist(new BlockCommitted(bc.view(), built.block(), built.effects()));
    d.output(new Output.Executed(Math.max(s.view(), bc.view()), built.block().height(),
        built.block().hash(), BlockCommitState.records(built.block(), built.effects(), bc.view())));
    d.output(new Output.ToSibling(toElection));
    d.settle();
    if (bc.seqNo() % params.checkpointInterval() == 0) {
      // the checkpoint digest of the state the block just produced (OSDI'99 §4.3)
      Digest digest = checkpointDigest(built.block().hash(), s.worldRoot());
      Checkpoint own = Checkpoint.sign(params.clusterId(), bc.seqNo(), digest, self, auth);
      d.persist(new CheckpointTaken(own));
      d.settle();
      d.output(new Output.Multicast(own));
      // others' checkpoints at this seqNo may have arrived first
      if (bc.seqNo() > s.lastStableCheckpoint()
          && s.matchingCheckpoints(bc.seqNo(), digest) >= quorum) {
        stable(d, bc.seqNo(), digest, proof(s, bc.seqNo(), digest));
      }
      for (Checkpoint early : s.checkpointsAt(bc.seqNo()).values()) {
        if (!early.sender().equals(self) && !early.digest().equals(digest)) {
          d.persist(new CheckpointMismatch(early, digest));
        }
      }
      s.checkpointsAt(bc.seqNo()).values().stream().map(Checkpoint::digest)
          .filter(x -> !x.equals(digest)).distinct()
          .filter(x -> s.matchingCheckpoints(bc.seqNo(), x) >= quorum).findFirst()
          .ifPresent(x -> diverged(s, bc.seqNo(), digest, x, d));
    }
  }

  private void onCheckpoint(BlockCommitState s, Checkpoint c,
      Decision.Builder<BlockCommitEvent> d) {
    long h = s.lastStableCheckpoint();
    if (c.seqNo() <= h) {
      return; // obsolete: below the low watermark
    }
    if (!params.isMember(c.sender())) {
      rejected(d, c, c.sender() + " is not a replica of " + params.clusterId());
      return;
    }
    if (c.sender().equals(self)) {
      Optional<Checkpoint> mine = s.ownCheckpoint(c.seqNo());
      if (mine.isEmpty() || !mine.get().digest().equals(c.digest())) {
        rejected(d, c, "a CHECKPOINT from this replica that it did not take");
      }
      return;
    }
    if (!c.verify(params.clusterId(), auth)) {
      rejected(d, c, "signature does not verify under " + c.sender() + "'s key");
      return;
    }
    if (c.seqNo() % params.checkpointInterval() != 0) {
      rejected(d, c, "seqNo " + c.seqNo() + " is not a multiple of the checkpoint interval "
          + params.checkpointInterval());
      return;
    }
    if (c.seqNo() > h + params.watermarkWindow()) {
      d.persist(new Rejected(c.type(), c.sender(), "seqNo " + c.seqNo()
          + " is above the high watermark H = " + (h + params.watermarkWindow())));
      Checkpoint kept = s.farCheckpoints().get(c.sender());
      if (kept == null || kept.seqNo() < c.seqNo()) {
        // the sender's CHECKPOINT may not be stable anywhere yet, so a transfer it triggers can
        // stop short of it: keep it (one per sender) and look at it again after the transfer
        d.persist(new BlockCommitEvent.FarCheckpointKept(c));
      }
      if (c.seqNo() > s.height() + params.watermarkWindow()) {
        transfer.start(s, c.seqNo(), List.of(c.sender()), d); // far behind: catch up
      }
      return;
    }
    Checkpoint logged = s.checkpointsAt(c.seqNo()).get(c.sender());
    if (logged != null) {
      if (logged.digest().equals(c.digest())) {
        return; // duplicate delivery
      }
      rejected(d, c, c.sender() + " already sent digest " + logged.digest().shortHex()
          + " for seqNo " + c.seqNo());
      return;
    }
    d.persist(new CheckpointAccepted(c));
    d.settle();
    Optional<Checkpoint> own = s.ownCheckpoint(c.seqNo());
    boolean certified = s.matchingCheckpoints(c.seqNo(), c.digest()) >= quorum;
    if (own.isPresent() && !own.get().digest().equals(c.digest())) {
      d.persist(new CheckpointMismatch(c, own.get().digest()));
      if (certified) {
        diverged(s, c.seqNo(), own.get().digest(), c.digest(), d);
      }
    }
    if (own.isPresent() && own.get().digest().equals(c.digest()) && certified) {
      stable(d, c.seqNo(), c.digest(), proof(s, c.seqNo(), c.digest()));
    } else if (certified && c.seqNo() > s.height()) {
      // a stable checkpoint this replica did not take part in: it is behind
      List<NodeId> signers = new ArrayList<>();
      s.checkpointsAt(c.seqNo()).values().stream().filter(x -> x.digest().equals(c.digest()))
          .forEach(x -> signers.add(x.sender()));
      transfer.start(s, c.seqNo(), signers, d);
    }
  }

  /**
   * Every checkpointAnnounceTicks ticks (a protocol parameter; 4·retransmitTicks by default),
   * re-multicasts this replica's CHECKPOINT at its last stable
   * checkpoint. Peers ignore it (it is at or below their h); a replica that was down while the
   * cluster went quiet learns from it that it is behind and starts a state transfer — otherwise
   * nothing would ever tell it (OSDI'99 §4.3 assumes it learns of stable checkpoints).
   */
  private void announceStable(BlockCommitState s, Decision.Builder<BlockCommitEvent> d) {
    long now = s.ticks();
    if (now % params.checkpointAnnounceTicks() == 0 && s.lastStableCheckpoint() > 0) {
      s.ownCheckpoint(s.lastStableCheckpoint()).ifPresent(c -> d.output(new Output.Multicast(c)));
    }
  }

  /** Reports a {@link StateDiverged}: 2f+1 members certified {@code certified} at n, not own. */
  private static void diverged(BlockCommitState s, long seqNo, Digest own, Digest certified,
      Decision.Builder<BlockCommitEvent> d) {
    List<NodeId> signers = s.checkpointsAt(seqNo).values().stream()
        .filter(x -> x.digest().equals(certified)).map(Checkpoint::sender).sorted().toList();
    d.persist(new StateDiverged(seqNo, own, certified, signers));
  }

  /**
   * Marks checkpoint n stable and tells the siblings, with its proof C — the 2f+1 matching
   * CHECKPOINTs a VIEW-CHANGE carries (OSDI'99 §4.4).
   */
  private static void stable(Decision.Builder<BlockCommitEvent> d, long seqNo, Digest digest,
      List<Checkpoint> proof) {
    d.persist(new CheckpointStable(seqNo, digest));
    d.output(new Output.ToSibling(new Signal.CheckpointStable(seqNo, digest, proof)));
  }

  /** The logged CHECKPOINTs at n matching d (own included), by sender. */
  private static List<Checkpoint> proof(BlockCommitState s, long seqNo, Digest digest) {
    java.util.Map<NodeId, Checkpoint> bySender = new java.util.TreeMap<>();
    s.checkpointsAt(seqNo).values().stream().filter(x -> x.digest().equals(digest))
        .forEach(x -> bySender.put(x.sender(), x));
    s.ownCheckpoint(seqNo).filter(x -> x.digest().equals(digest))
        .ifPresent(x -> bySender.put(x.sender(), x));
    return List.copyOf(bySender.values());
  }

  private static void rejected(Decision.Builder<BlockCommitEvent> d, Checkpoint c,
      String reason) {
    d.persist(new Rejected(c.type(), c.sender(), reason));
  }
}
