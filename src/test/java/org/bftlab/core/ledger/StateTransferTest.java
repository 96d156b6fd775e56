package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointStable;
import org.bftlab.core.ledger.BlockCommitEvent.Rejected;
import org.bftlab.core.ledger.BlockCommitEvent.StateChunkVerified;
import org.bftlab.core.ledger.BlockCommitEvent.StateRequested;
import org.bftlab.core.ledger.BlockCommitEvent.StateTransferred;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

/**
 * State transfer (Castro &amp; Liskov OSDI'99 §4.3, TOCS'02 §5.3): "a replica may learn about a
 * stable checkpoint beyond its high water mark … it fetches the state from another replica" and
 * checks it against the checkpoint's 2f+1 certificate, never against the word of one peer.
 */
class StateTransferTest {
  static final int K = 2; // L = 2K = 4, n = 4, f = 1, 2f+1 = 3
  final ProtocolParams params = TestAuth.params(4, K);
  final Cluster cluster = new Cluster(params);
  final Driver lagging = cluster.node(3);

  /** Replicas 0..2 commit 1..{@code upTo} with checkpoints while replica 3 is down. */
  void othersRunAhead(long upTo) {
    cluster.down.add(3);
    cluster.commitEverywhere(1, upTo);
    cluster.down.remove(3);
  }

  /** Delivers to replica 3 the CHECKPOINTs at {@code seqNo} it missed while down. */
  void showLaggingTheCertificateAt(long seqNo) {
    for (Checkpoint c : cluster.sentOf(Checkpoint.class, -1, 3)) {
      if (c.seqNo() == seqNo) {
        cluster.step(3, new Input.Receive(c));
      }
    }
    cluster.run();
  }

  void assertCaughtUpWith(Driver honest) {
    assertThat(lagging.state.height()).isEqualTo(honest.state.height());
    assertThat(lagging.state.headHash()).isEqualTo(honest.state.headHash());
    assertThat(lagging.state.worldRoot()).isEqualTo(honest.state.worldRoot());
    for (long h = 1; h <= honest.state.height(); h++) {
      assertThat(lagging.state.block(h)).isEqualTo(honest.state.block(h));
    }
    assertThat(lagging.state.transfer()).isEmpty();
  }

  @Test
  void replicaThatMissedThreeCheckpointsCatchesUpAndContinuesAtNPlusOne() {
    // §4.3: a CHECKPOINT beyond the high watermark tells the replica it is behind
    othersRunAhead(3 * K);
    assertThat(cluster.node(0).state.lastStableCheckpoint()).isEqualTo(3 * K);
    assertThat(lagging.state.height()).isZero();
    cluster.commitEverywhere(7); // replica 3 is back but receives no batch below its gap
    cluster.commitEverywhere(8); // others' CHECKPOINTs at 8 > 0 + L reach replica 3
    assertThat(cluster.sentOf(StateRequest.class, 3, -1)).isNotEmpty();
    assertCaughtUpWith(cluster.node(0));
    assertThat(lagging.state.height()).isEqualTo(8);
    assertThat(lagging.state.lastStableCheckpoint()).isEqualTo(8);
    assertThat(lagging.state.lastStableDigest()).isEqualTo(cluster.node(0).state.lastStableDigest());
    // the agreement is told, so it treats h as delivered and moves its watermarks
    assertThat(cluster.signals.get(3)).anySatisfy(sig -> CheckpointTest.assertStableWithProof(
        sig, 8, lagging.state.lastStableDigest()));
    // the certificate stays available for VIEW-CHANGE messages (C)
    assertThat(lagging.state.stableCheckpointProof()).hasSize(3)
        .allMatch(c -> c.seqNo() == 8 && c.digest().equals(lagging.state.lastStableDigest()))
        .allMatch(c -> c.verify(TestAuth.CLUSTER, TestAuth.of(0, 4)));
    // normal execution continues at n + 1 on every replica alike
    cluster.commitEverywhere(9, 10);
    assertThat(lagging.state.headHash()).isEqualTo(cluster.node(0).state.headHash());
    assertThat(lagging.state.worldRoot()).isEqualTo(cluster.node(0).state.worldRoot());
    assertThat(lagging.state.lastStableCheckpoint()).isEqualTo(10);
    assertThat(lagging.core.replyFor(lagging.state, Cluster.batch(5).get(1).txId())).isNotEmpty();
    // recovery from the journal alone gives the same head, world and certificate
    BlockCommitState rebuilt = lagging.replay();
    assertThat(rebuilt.headHash()).isEqualTo(lagging.state.headHash());
    assertThat(rebuilt.worldRoot()).isEqualTo(lagging.state.worldRoot());
    assertThat(rebuilt.lastStableCheckpoint()).isEqualTo(10);
    assertThat(rebuilt.stableCheckpointProof()).isEqualTo(lagging.state.stableCheckpointProof());
    assertThat(lagging.journal).noneMatch(e -> e instanceof Event.Volatile);
  }

  @Test
  void relayedRequestThatTheTransferExecutedIsNotAwaited() {
    // §4.4: "a backup is waiting for a request if it received a valid request and has not
    // executed it" — a relayed copy arriving after a state transfer executed the request must
    // not start the view-change timer (it would time a request that never runs again)
    othersRunAhead(3 * K);
    cluster.commitEverywhere(7);
    cluster.commitEverywhere(8);
    assertCaughtUpWith(cluster.node(0));
    String transferred = Cluster.batch(5).get(1).txId();
    Decision<BlockCommitEvent> late = lagging.step(new Input.FromSibling(
        new Signal.RequestPending(transferred)));
    assertThat(late.outputs()).as("executed by the transfer: not awaited").isEmpty();
    Decision<BlockCommitEvent> unseen = lagging.step(new Input.FromSibling(
        new Signal.RequestPending("f".repeat(64))));
    assertThat(unseen.outputs()).containsExactly(
        new Output.ToSibling(new Signal.RequestAwaited("f".repeat(64))));
  }

  @Test
  void certificateItDidNotTakePartInStartsATransferFromASigner() {
    // 2f+1 matching CHECKPOINTs for n above the replica's height: it is behind by n
    othersRunAhead(2 * K);
    List<Checkpoint> at4 = cluster.sentOf(Checkpoint.class, -1, 3).stream()
        .filter(c -> c.seqNo() == 2 * K).toList();
    assertThat(lagging.step(new Input.Receive(at4.get(0))).outputs()).isEmpty();
    assertThat(lagging.step(new Input.Receive(at4.get(1))).outputs()).isEmpty();
    Decision<BlockCommitEvent> d = lagging.step(new Input.Receive(at4.get(2)));
    assertThat(d.events()).hasSize(2).last().isEqualTo(new StateRequested(1, 4, new NodeId(0),
        List.of(new NodeId(0), new NodeId(1), new NodeId(2)), false));
    StateRequest req = (StateRequest) ((Output.Send) d.outputs().get(0)).message();
    assertThat(((Output.Send) d.outputs().get(0)).to()).isEqualTo(new NodeId(0));
    assertThat(req.fromHeight()).isEqualTo(1);
    assertThat(req.toHeight()).isEqualTo(4);
    assertThat(lagging.state.lastStableCheckpoint()).isZero(); // no state yet: not stable
    cluster.post(3, d);
    cluster.run();
    assertCaughtUpWith(cluster.node(0));
    assertThat(lagging.journal).filteredOn(e -> e instanceof StateTransferred).hasSize(1);
  }

  @Test
  void serverSendsItsChainUpToItsStableCheckpointWithTheCertificate() {
    othersRunAhead(3 * K);
    cluster.commitEverywhere(7); // node 0 holds block 7, which no certificate covers yet
    Driver server = cluster.node(0);
    StateRequest beyond = StateRequest.sign(TestAuth.CLUSTER, 2, 100, new NodeId(3),
        TestAuth.of(3, 4));
    Decision<BlockCommitEvent> d = server.step(new Input.Receive(beyond));
    assertThat(d.events()).isEmpty();
    StateResponse r = (StateResponse) ((Output.Send) d.outputs().get(0)).message();
    assertThat(r.blocks()).extracting(Block::height).containsExactly(2L, 3L, 4L, 5L, 6L);
    assertThat(r.checkpointProof()).isEqualTo(server.state.stableCheckpointProof());
    assertThat(r.verify(TestAuth.CLUSTER, TestAuth.of(3, 4))).isTrue();
    // nothing certified to serve above the stable checkpoint
    StateRequest above = StateRequest.sign(TestAuth.CLUSTER, 7, 7, new NodeId(3),
        TestAuth.of(3, 4));
    Decision<BlockCommitEvent> none = server.step(new Input.Receive(above));
    assertThat(none.outputs()).isEmpty();
    assertThat(((Rejected) none.events().get(0)).reason()).contains("nothing certified");
    // forged request: refused
    StateRequest forged = new StateRequest(1, 6, new NodeId(3), TestAuth.forged(
        beyond.signature()));
    assertThat(server.step(new Input.Receive(forged)).outputs()).isEmpty();
  }

  // ---- forged responses: a tampered block never enters the chain ------------------------------

  /** Rewrites node 0's STATE-RESPONSEs to replica 3 with {@code forge} (re-signed by node 0). */
  void node0Serves(UnaryOperator<List<Block>> forge) {
    cluster.tamper = (e, m) -> {
      if (e.from() == 0 && m instanceof StateResponse r) {
        return StateResponse.sign(TestAuth.CLUSTER, forge.apply(new ArrayList<>(r.blocks())),
            r.checkpointProof(), new NodeId(0), TestAuth.of(0, 4));
      }
      return m;
    };
  }

  /** Runs the scenario; asserts the forgery was refused with {@code reason} and node 1 served. */
  void assertDetectedThenFetchedFromNextSigner(String reason) {
    othersRunAhead(2 * K);
    showLaggingTheCertificateAt(2 * K);
    List<StateRequest> asked1 = cluster.sentOf(StateRequest.class, 3, 1);
    assertThat(asked1).hasSize(1);
    assertThat(cluster.sentOf(StateRequest.class, 3, 0)).hasSize(1);
    assertCaughtUpWith(cluster.node(1));
    // the forged blocks never reached the journal: every persisted block is the honest one
    for (BlockCommitEvent e : lagging.journal) {
      if (e instanceof BlockCommitted bc) {
        assertThat(bc.block()).isEqualTo(cluster.node(1).state.block(bc.block().height())
            .orElseThrow());
      }
    }
    assertThat(rejections()).anyMatch(r -> r.contains(reason));
  }

  List<String> rejections() {
    return cluster.rejections.get(3);
  }

  /** A block with {@code entries}, its header recomputed (self-consistent) and linked to prev. */
  static Block rebuild(Block b, Digest previous, List<BlockEntry> entries) {
    return new Block(new BlockHeader(b.height(), previous,
        BlockBuilder.merkleRoot(entries.stream().map(BlockEntry::transaction).toList()),
        BlockBuilder.resultsDigest(entries), entries.size()), entries);
  }

  /** Re-links every block after the first to its (possibly changed) predecessor. */
  static List<Block> rechain(List<Block> blocks) {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      Digest prev = out.isEmpty() ? b.header().previousHash() : out.get(out.size() - 1).hash();
      out.add(rebuild(b, prev, b.entries()));
    }
    return out;
  }

  /** {@code blocks} with block {@code height}'s entry {@code i} replaced by {@code entry}. */
  static List<Block> replaceEntry(List<Block> blocks, long height, int i, BlockEntry entry) {
    List<Block> out = new ArrayList<>(blocks);
    int at = (int) (height - blocks.get(0).height());
    List<BlockEntry> entries = new ArrayList<>(out.get(at).entries());
    entries.set(i, entry);
    Block b = out.get(at);
    out.set(at, new Block(b.header(), entries)); // header unchanged
    return out;
  }

  @Test
  void changedResultWithConsistentHeadersIsCaughtByReExecution() {
    // "executed differently": node 0 reports block 2's mint as rejected, fixes the header's
    // results digest and re-links the chain; only re-execution can tell
    node0Serves(blocks -> {
      BlockEntry mint = blocks.get(1).entries().get(1);
      List<Block> forged = replaceEntry(blocks, 2, 1, new BlockEntry(mint.transaction(),
          ValidationCode.CONTRACT_REJECTED, "insufficient funds"));
      forged.set(1, rebuild(forged.get(1), forged.get(1).header().previousHash(),
          forged.get(1).entries()));
      return rechain(forged);
    });
    assertDetectedThenFetchedFromNextSigner(
        "block 2 from node-0 differs from its re-execution here");
  }

  @Test
  void changedResultUnderTheOriginalHeaderIsNotSelfConsistent() {
    node0Serves(blocks -> {
      BlockEntry put = blocks.get(0).entries().get(0);
      return replaceEntry(blocks, 1, 0, new BlockEntry(put.transaction(), put.code(), "forged"));
    });
    assertDetectedThenFetchedFromNextSigner("block 1 from node-0 is not self-consistent");
  }

  @Test
  void changedTransactionIsNotSelfConsistent() {
    Request other = TestAuth.request("client-2", 1, "kv", "put", "k3", "evil");
    node0Serves(blocks -> replaceEntry(blocks, 3, 0,
        new BlockEntry(other, ValidationCode.VALID, blocks.get(2).entries().get(0).result())));
    assertDetectedThenFetchedFromNextSigner("block 3 from node-0 is not self-consistent");
  }

  @Test
  void brokenPreviousHashIsCaught() {
    node0Serves(blocks -> {
      List<Block> forged = new ArrayList<>(blocks);
      forged.set(2, rebuild(blocks.get(2), Digest.sha256("elsewhere".getBytes()),
          blocks.get(2).entries()));
      return forged;
    });
    assertDetectedThenFetchedFromNextSigner("block 3 from node-0 does not chain to block 2");
  }

  @Test
  void internallyConsistentChainOfOtherTransactionsMissesTheCertifiedDigest() {
    // node 0 executes a different batch at 3 honestly: every block is self-consistent, chained
    // and re-executes identically; only the certificate's digest exposes it
    Driver fork = new Driver(params, 0);
    for (long n = 1; n <= 2 * K; n++) {
      fork.commit(0, n, n == 3 ? List.of(TestAuth.request("client-2", 1, "kv", "put", "k3",
          "evil")) : Cluster.batch(n));
    }
    node0Serves(blocks -> blocks.stream().map(b -> fork.state.block(b.height()).orElseThrow())
        .toList());
    assertDetectedThenFetchedFromNextSigner(
        "block 4 from node-0 does not chain to the certified checkpoint digest");
  }

  @Test
  void responseWithoutAValidCertificateIsRejected() {
    othersRunAhead(2 * K);
    Checkpoint c1 = cpOf(1);
    List<List<Checkpoint>> bad = List.of(
        List.of(),                                   // none
        List.of(cpOf(0), cpOf(1)),                   // 2f only
        List.of(cpOf(0), cpOf(1), cpOf(1)),          // one signer counted twice
        List.of(cpOf(0), cpOf(1), new Checkpoint(c1.seqNo(), c1.digest(), new NodeId(2),
            TestAuth.forged(c1.signature()))),        // forged signature
        List.of(cpOf(0), cpOf(1), Checkpoint.sign(TestAuth.CLUSTER, 2 * K,
            Digest.sha256("x".getBytes()), new NodeId(2), TestAuth.of(2, 4)))); // mixed digests
    for (List<Checkpoint> proof : bad) {
      cluster.tamper = (e, m) -> !(m instanceof StateResponse r) ? m
          : e.from() == 0 ? StateResponse.sign(TestAuth.CLUSTER, r.blocks(), proof,
              new NodeId(0), TestAuth.of(0, 4))
          : null; // only node 0 answers; the others stay silent
      Driver fresh = new Driver(params, 3);
      cluster.nodes.set(3, fresh);
      cluster.rejections.get(3).clear();
      showLaggingTheCertificateAt(2 * K);
      assertThat(fresh.state.height()).as("proof %s", proof).isZero();
      assertThat(fresh.journal).as("proof %s", proof).noneMatch(e -> e instanceof BlockCommitted);
      assertThat(rejections()).as("proof %s", proof).anyMatch(r -> r.contains("certificate"));
      assertThat(fresh.state.transfer().orElseThrow().peer()).isEqualTo(new NodeId(1));
    }
  }

  Checkpoint cpOf(int node) {
    return cluster.node(node).state.stableCheckpointProof().stream()
        .filter(c -> c.sender().index() == node).findFirst().orElseThrow();
  }

  @Test
  void staleDuplicateOrUnsolicitedResponsesChangeNothing() {
    othersRunAhead(2 * K);
    showLaggingTheCertificateAt(2 * K);
    assertCaughtUpWith(cluster.node(0));
    StateResponse served = cluster.sentOf(StateResponse.class, 0, 3).get(0);
    List<BlockCommitEvent> journal = List.copyOf(lagging.journal);
    Digest head = lagging.state.headHash();
    for (StateResponse r : List.of(served, StateResponse.sign(TestAuth.CLUSTER, served.blocks(),
        served.checkpointProof(), new NodeId(2), TestAuth.of(2, 4)))) {
      Decision<BlockCommitEvent> d = lagging.step(new Input.Receive(r));
      assertThat(d.outputs()).isEmpty();
      assertThat(d.events()).allMatch(e -> e instanceof Rejected);
    }
    assertThat(lagging.journal).isEqualTo(journal);
    assertThat(lagging.state.headHash()).isEqualTo(head);
    // a response with a forged signature never counts, even from the peer asked
    StateResponse forged = new StateResponse(served.blocks(), served.checkpointProof(),
        new NodeId(0), TestAuth.forged(served.signature()));
    assertThat(((Rejected) lagging.step(new Input.Receive(forged)).events().get(0)).reason())
        .contains("signature does not verify");
  }

  @Test
  void silentPeerIsReplacedAfterRetransmitTicks() {
    othersRunAhead(2 * K);
    cluster.tamper = (e, m) -> e.from() == 0 && m instanceof StateResponse ? null : m;
    showLaggingTheCertificateAt(2 * K);
    assertThat(lagging.state.height()).isZero();
    for (int t = 1; t < params.retransmitTicks(); t++) {
      assertThat(cluster.step(3, Input.TICK).outputs()).isEmpty();
    }
    Decision<BlockCommitEvent> d = cluster.step(3, Input.TICK);
    assertThat(((Output.Send) d.outputs().get(0)).to()).isEqualTo(new NodeId(1));
    cluster.run();
    assertCaughtUpWith(cluster.node(1));
    assertThat(cluster.step(3, Input.TICK).outputs()).isEmpty(); // nothing in progress
  }

  @Test
  void longGapIsFetchedInChunksAndAnchoredOnlyAtTheCertifiedCheckpoint() {
    long gap = params.stateTransferBatch() + 2 * K + 2; // 70: two responses
    othersRunAhead(gap);
    cluster.commitEverywhere(gap + 1, gap + 2); // far CHECKPOINT reaches replica 3
    List<StateResponse> served = cluster.sentOf(StateResponse.class, -1, 3);
    assertThat(served.get(0).blocks()).hasSize(params.stateTransferBatch());
    assertCaughtUpWith(cluster.node(0));
    assertThat(lagging.state.lastStableCheckpoint()).isEqualTo(gap + 2);
    assertThat(lagging.replay().headHash()).isEqualTo(cluster.node(0).state.headHash());
  }

  @Test
  void forgedFirstChunkIsDiscardedWhenTheAnchorFails() {
    long gap = params.stateTransferBatch() + 2 * K + 2;
    Driver fork = new Driver(params, 0);
    for (long n = 1; n <= gap; n++) {
      fork.commit(0, n, n == 3 ? List.of() : Cluster.batch(n));
    }
    node0Serves(blocks -> blocks.stream().map(b -> fork.state.block(b.height()).orElseThrow())
        .toList());
    othersRunAhead(gap);
    List<Checkpoint> atGap = cluster.sentOf(Checkpoint.class, -1, 3).stream()
        .filter(c -> c.seqNo() == gap).toList();
    // the far CHECKPOINT from node 0 makes node 0 the first peer asked
    cluster.step(3, new Input.Receive(atGap.stream().filter(c -> c.sender().index() == 0)
        .findFirst().orElseThrow()));
    cluster.run();
    assertThat(rejections()).anyMatch(r -> r.contains("block " + gap + " from node-0 does not"
        + " chain to the certified checkpoint digest"));
    assertCaughtUpWith(cluster.node(1));
  }

  @Test
  void checkpointLogDoesNotGrowWithTheChain() {
    cluster.commitEverywhere(1, 40);
    for (Driver d : cluster.nodes) {
      assertThat(d.state.lastStableCheckpoint()).isEqualTo(40);
      // only seqNos in (h, h + L] can be logged: at most L / K of them
      assertThat(d.state.loggedCheckpointSeqNos()).hasSizeLessThanOrEqualTo(
          params.watermarkWindow() / K);
      assertThat(d.state.ownCheckpoints()).hasSizeLessThanOrEqualTo(params.watermarkWindow() / K);
      assertThat(d.state.transfer()).isEmpty();
    }
  }
}
