package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bftlab.core.Decision;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointStable;
import org.bftlab.core.ledger.BlockCommitEvent.Rejected;
import org.bftlab.core.ledger.BlockCommitEvent.StateChunkVerified;
import org.bftlab.core.ledger.BlockCommitEvent.StateRequested;
import org.bftlab.core.ledger.BlockCommitEvent.StateTransferTicked;
import org.bftlab.core.ledger.BlockCommitEvent.StateTransferred;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;

/**
 * State transfer for the block-commit component (Castro &amp; Liskov OSDI'99 §4.3, TOCS'02 §5.3):
 * a replica that is behind a stable checkpoint fetches the missing blocks from one peer at a
 * time and never takes that peer's word for them. Part of {@link BlockCommitCore}'s
 * {@code decide}: it reads the state and adds events and outputs to a decision builder.
 *
 * <p><b>Requesting.</b> {@link #start} asks one candidate for {@code StateRequest(tip+1, target)}
 * where tip is the height plus verified pending chunks. A response failing any check below gives
 * a volatile {@link Rejected} with the reason, drops the pending chunks and asks the next
 * candidate at once; a silent peer is replaced after {@code retransmitTicks} ticks.
 *
 * <p><b>Accepting a {@link StateResponse}</b>, in order: the sender is the peer asked and its
 * signature verifies; the proof is a valid certificate (2f+1 CHECKPOINTs with one (n, d), from
 * distinct members, each signature valid, n a multiple of K); the blocks (at most
 * stateTransferBatch, a protocol parameter) are consecutive from tip+1 and end at or below n; each block is
 * self-consistent (Merkle root, results digest), its previousHash is the hash of the block
 * before it, and re-executing its transactions here ({@link BlockBuilder}, same validator, same
 * world state) gives a byte-identical block; if the last block is at n, SHA-256(its hash || the
 * world-state root after re-execution) must equal d. Then the pending and new blocks are
 * persisted as {@link BlockCommitted}, followed by {@link StateTransferred} and
 * {@link CheckpointStable} and {@code ToSibling(Signal.CheckpointStable(n, d))}. A response that
 * ends below n is held as a {@link StateChunkVerified} chunk and the next one is requested: the
 * final anchor to d authenticates the whole chain through the previousHash links. A response
 * that starts at or below the tip is stale (or a duplicate) and changes nothing.
 *
 * <p><b>Serving.</b> A {@link StateRequest} from a member is answered with the blocks from its
 * {@code fromHeight} up to this replica's last stable checkpoint (at most stateTransferBatch, a protocol parameter),
 * whatever its {@code toHeight}, with that checkpoint's certificate: only the stable checkpoint
 * can be proved. The blocks of one response take at most {@link StateResponse#budget} bytes on
 * the wire (counted by {@link StateResponse#wireBytes}), or are one block — a block holds one batch —, so a
 * response fits the Artery frame ({@code codec.WireLimits}) by construction; the requester asks
 * for the rest as the next chunk. Nothing is sent when {@code fromHeight} is above the last stable checkpoint.
 */
final class StateTransfer {
  private static final String RESPONSE = "STATE-RESPONSE";

  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final BlockBuilder builder;
  private final int quorum;

  StateTransfer(ProtocolParams params, NodeId self, Authenticator auth, BlockBuilder builder,
      int quorum) {
    this.params = Objects.requireNonNull(params, "params");
    this.self = Objects.requireNonNull(self, "self");
    this.auth = Objects.requireNonNull(auth, "auth");
    this.builder = Objects.requireNonNull(builder, "builder");
    this.quorum = quorum;
  }

  /**
   * Starts (or widens) a transfer towards {@code target} unless the chain or a transfer in
   * progress already reaches it.
   *
   * @param preferred replicas to ask first (a certificate's signers, or the sender of a far
   *     CHECKPOINT); every other replica but this one follows
   */
  void start(BlockCommitState s, long target, List<NodeId> preferred,
      Decision.Builder<BlockCommitEvent> d) {
    if (target <= s.height()) {
      return;
    }
    Optional<TransferProgress> t = s.transfer();
    if (t.isPresent() && t.get().target() >= target) {
      return;
    }
    List<NodeId> candidates = new ArrayList<>();
    preferred.stream().filter(p -> !p.equals(self) && params.isMember(p)).sorted().distinct()
        .forEach(candidates::add);
    params.nodes().stream().filter(p -> !p.equals(self) && !candidates.contains(p))
        .forEach(candidates::add);
    NodeId peer = t.map(TransferProgress::peer).filter(candidates::contains)
        .orElse(candidates.get(0));
    long from = t.map(x -> x.tipHeight(s.height())).orElse(s.height()) + 1;
    ask(d, from, target, peer, candidates, false);
  }

  /** One tick: after {@code retransmitTicks} without an answer, ask the next candidate. */
  void onTick(BlockCommitState s, Decision.Builder<BlockCommitEvent> d) {
    Optional<TransferProgress> o = s.transfer();
    if (o.isEmpty()) {
      return;
    }
    TransferProgress t = o.get();
    if (t.ticksWaiting() + 1 >= params.retransmitTicks()) {
      ask(d, t.tipHeight(s.height()) + 1, t.target(), t.nextPeer(), t.candidates(), false);
    } else {
      d.persist(new StateTransferTicked());
    }
  }

  /** Serves a peer's request (see the class comment); no events unless it is refused. */
  void onRequest(BlockCommitState s, StateRequest r, Decision.Builder<BlockCommitEvent> d) {
    Optional<String> bad = badSender(r);
    if (bad.isPresent()) {
      d.persist(new Rejected(r.type(), r.sender(), bad.get()));
      return;
    }
    if (r.sender().equals(self)) {
      return;
    }
    long stable = s.lastStableCheckpoint();
    if (r.fromHeight() > stable) {
      d.persist(new Rejected(r.type(), r.sender(), "nothing certified to serve from height "
          + r.fromHeight() + ": the last stable checkpoint is " + stable));
      return;
    }
    long to = Math.min(stable, r.fromHeight() + params.stateTransferBatch() - 1);
    List<Block> blocks = new ArrayList<>();
    long bytes = 0;
    for (long h = r.fromHeight(); h <= to; h++) {
      long at = h;
      Block b = s.block(at).orElseThrow(() -> new IllegalStateException("the block store has a"
          + " hole at height " + at));
      bytes += StateResponse.wireBytes(b);
      if (!blocks.isEmpty()
          && bytes > StateResponse.budget(params.batchSize(), params.maxRequestBytes())) {
        break;
      }
      blocks.add(b);
    }
    d.output(new Output.Send(r.sender(), StateResponse.sign(params.clusterId(), blocks,
        s.stableCheckpointProof(), self, auth)));
  }

  /** Checks a response (see the class comment) and accepts it, holds it, or skips the peer. */
  void onResponse(BlockCommitState s, StateResponse r, Decision.Builder<BlockCommitEvent> d) {
    Optional<String> bad = badSender(r);
    if (bad.isPresent()) {
      d.persist(new Rejected(RESPONSE, r.sender(), bad.get()));
      return;
    }
    Optional<TransferProgress> o = s.transfer();
    if (o.isEmpty() || !o.get().peer().equals(r.sender())) {
      d.persist(new Rejected(RESPONSE, r.sender(), o.isEmpty()
          ? "no state transfer in progress (stale or duplicate response)"
          : "unsolicited: state was asked from " + o.get().peer()));
      return;
    }
    TransferProgress t = o.get();
    long tip = t.tipHeight(s.height());
    if (!r.blocks().isEmpty() && r.blocks().get(0).height() <= tip) {
      d.persist(new Rejected(RESPONSE, r.sender(), "blocks from height "
          + r.blocks().get(0).height() + " are already held up to " + tip
          + " (stale or duplicate response)"));
      return;
    }
    Optional<String> proofError = proofError(r.checkpointProof());
    if (proofError.isPresent()) {
      fail(s, t, r.sender(), proofError.get(), d);
      return;
    }
    long n = r.checkpointProof().get(0).seqNo();
    Digest certified = r.checkpointProof().get(0).digest();
    if (r.blocks().isEmpty() || r.blocks().size() > params.stateTransferBatch()) {
      fail(s, t, r.sender(), "a response must hold 1.." + params.stateTransferBatch() + " blocks, got "
          + r.blocks().size(), d);
      return;
    }
    Block last = r.blocks().get(r.blocks().size() - 1);
    if (last.height() > n) {
      fail(s, t, r.sender(), "block " + last.height() + " is beyond the certified checkpoint "
          + n, d);
      return;
    }
    WorldState world = s.transferWorldCopy();
    Set<String> seen = new HashSet<>();
    List<Block> verified = new ArrayList<>();
    List<List<TxEffect>> effects = new ArrayList<>();
    long expected = tip + 1;
    Digest previous = t.tipHash(s.headHash());
    for (Block b : r.blocks()) {
      String where = "block " + b.height() + " from " + r.sender();
      if (b.height() != expected) {
        fail(s, t, r.sender(), where + " is not consecutive: expected height " + expected, d);
        return;
      }
      if (!BlockBuilder.selfConsistent(b)) {
        fail(s, t, r.sender(), where + " is not self-consistent: its Merkle root or results"
            + " digest does not match its transactions", d);
        return;
      }
      if (!b.header().previousHash().equals(previous)) {
        fail(s, t, r.sender(), where + " does not chain to block " + (b.height() - 1)
            + ": previousHash " + b.header().previousHash().shortHex() + ", expected "
            + previous.shortHex(), d);
        return;
      }
      BlockBuilder.Built built = builder.build(b.height(), previous,
          b.entries().stream().map(BlockEntry::transaction).toList(), world,
          id -> seen.contains(id) || s.hasTx(id)
              || s.transfer().map(x -> x.pendingHasTx(id)).orElse(false));
      if (!built.block().equals(b)) {
        fail(s, t, r.sender(), where + " differs from its re-execution here (validation codes"
            + " or results do not match)", d);
        return;
      }
      for (int i = 0; i < built.effects().size(); i++) {
        TxEffect fx = built.effects().get(i);
        world.apply(fx.writes(), new Version(b.height(), i));
        if (fx.indexed()) {
          seen.add(b.entries().get(i).transaction().txId());
        }
      }
      verified.add(built.block());
      effects.add(built.effects());
      previous = b.hash();
      expected++;
    }
    if (last.height() < n) { // a chunk: hold it, ask for the rest
      d.persist(new StateChunkVerified(r.sender(), verified, effects));
      ask(d, last.height() + 1, Math.max(t.target(), n), t.peer(), t.candidates(), false);
      return;
    }
    Digest reached = BlockCommitCore.checkpointDigest(last.hash(), world.root());
    if (!reached.equals(certified)) {
      fail(s, t, r.sender(), "block " + n + " from " + r.sender() + " does not chain to the"
          + " certified checkpoint digest " + certified.shortHex() + " (block hash and"
          + " re-executed world-state root give " + reached.shortHex() + ")", d);
      return;
    }
    List<Block> pending = t.pendingBlocks();
    List<List<TxEffect>> pendingFx = t.pendingEffects();
    for (int i = 0; i < pending.size(); i++) {
      d.persist(new BlockCommitted(s.view(), pending.get(i), pendingFx.get(i)));
    }
    for (int i = 0; i < verified.size(); i++) {
      d.persist(new BlockCommitted(s.view(), verified.get(i), effects.get(i)));
    }
    List<Checkpoint> proof = new ArrayList<>(r.checkpointProof());
    proof.sort((a, b) -> a.sender().compareTo(b.sender()));
    d.persist(new StateTransferred(n, certified, r.sender(), proof));
    d.persist(new CheckpointStable(n, certified));
    d.output(new Output.ToSibling(new Signal.CheckpointStable(n, certified, proof)));
    d.output(new Output.Executed(s.view(), last.height(), last.hash(), List.of()));
    // go on only towards a certificate held here: a far CHECKPOINT's seqNo is one replica's
    // claim, and the next CHECKPOINTs re-start a transfer if this one stopped short
    long further = s.highestCertifiedAbove(n, quorum);
    if (further > n) {
      ask(d, n + 1, further, t.peer(), t.candidates(), false);
    }
    // CHECKPOINTs that were above H before the transfer (the one that started it, typically,
    // which its sender had not yet seen stable) are examined again with the new watermarks: a
    // certificate among them continues the transfer; the others are logged for stability
    if (!s.farCheckpoints().isEmpty()) {
      d.persist(new BlockCommitEvent.FarCheckpointsReleased(n));
      s.farCheckpoints().values().stream().filter(c -> c.seqNo() > n)
          .forEach(c -> d.output(new Output.Send(self, c)));
    }
  }

  /**
   * Why {@code proof} is not a stable checkpoint certificate, or empty when it is one: 2f+1
   * CHECKPOINTs with one (n, d), n a multiple of K, from distinct members, each signature valid.
   */
  Optional<String> proofError(List<Checkpoint> proof) {
    if (!proof.isEmpty() && proof.get(0).seqNo() % params.checkpointInterval() != 0) {
      return Optional.of("certified seqNo " + proof.get(0).seqNo() + " is not a multiple of the"
          + " checkpoint interval " + params.checkpointInterval());
    }
    return CheckpointCertificate.error(params.clusterId(), params::isMember, quorum, auth, proof,
        null);
  }

  private Optional<String> badSender(ReplicaMessage m) {
    if (!params.isMember(m.sender())) {
      return Optional.of(m.sender() + " is not a replica of " + params.clusterId());
    }
    if (!m.verify(params.clusterId(), auth)) {
      return Optional.of("signature does not verify under " + m.sender() + "'s key");
    }
    return Optional.empty();
  }

  /** Refuses a response, drops the pending chunks and asks the next candidate from height+1. */
  private void fail(BlockCommitState s, TransferProgress t, NodeId from, String reason,
      Decision.Builder<BlockCommitEvent> d) {
    d.persist(new Rejected(RESPONSE, from, reason));
    ask(d, s.height() + 1, t.target(), t.nextPeer(), t.candidates(), true);
  }

  private void ask(Decision.Builder<BlockCommitEvent> d, long from, long target, NodeId peer,
      List<NodeId> candidates, boolean discardPending) {
    d.persist(new StateRequested(from, target, peer, candidates, discardPending));
    d.output(new Output.Send(peer, StateRequest.sign(params.clusterId(), from, target, self,
        auth)));
  }
}
