package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.ledger.TestAuth.request;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointAccepted;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointMismatch;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointStable;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointTaken;
import org.bftlab.core.ledger.BlockCommitEvent.Rejected;
import org.bftlab.core.ledger.BlockCommitEvent.StateDiverged;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Status;
import org.junit.jupiter.api.Test;

/** Castro &amp; Liskov OSDI'99 §4.3: checkpoints every K, stable with 2f+1 matching. */
class CheckpointTest {
  static final int K = 2;
  final ProtocolParams params = TestAuth.params(4, K); // n = 4, f = 1, 2f+1 = 3, L = 4
  final List<Driver> nodes = List.of(new Driver(params, 0), new Driver(params, 1),
      new Driver(params, 2), new Driver(params, 3));
  final Driver node0 = nodes.get(0);

  /** Commits the same batch at the next seqNo on every node; returns each node's decision. */
  List<Decision<BlockCommitEvent>> commitEverywhere(long seqNo) {
    List<Decision<BlockCommitEvent>> ds = new ArrayList<>();
    for (Driver d : nodes) {
      ds.add(d.commit(seqNo, request("client-0", seqNo, "kv", "put", "k" + seqNo, "v")));
    }
    return ds;
  }

  static Checkpoint multicastCheckpoint(Decision<BlockCommitEvent> d) {
    return d.outputs().stream().filter(o -> o instanceof Output.Multicast)
        .map(o -> (Checkpoint) ((Output.Multicast) o).message()).findFirst().orElseThrow();
  }

  static Decision<BlockCommitEvent> receive(Driver d, Checkpoint c) {
    return d.step(new Input.Receive(c));
  }

  @Test
  void checkpointIsTakenEveryKWithDigestOfBlockHashAndWorldRoot() {
    // §4.3: a replica produces a checkpoint when a request with seqNo divisible by K executes
    List<Decision<BlockCommitEvent>> at1 = commitEverywhere(1);
    assertThat(at1.get(0).events()).hasSize(1);
    assertThat(at1.get(0).outputs()).hasSize(2).first().isInstanceOf(Output.Executed.class);
    List<Decision<BlockCommitEvent>> at2 = commitEverywhere(2);
    Decision<BlockCommitEvent> d = at2.get(0);
    assertThat(d.events()).hasSize(2);
    assertThat(d.events().get(1)).isInstanceOf(CheckpointTaken.class);
    Checkpoint own = ((CheckpointTaken) d.events().get(1)).own();
    assertThat(d.outputs()).hasSize(3).contains(new Output.Multicast(own)); // persist before send
    assertThat(d.outputs().get(0)).isInstanceOf(Output.Executed.class);
    assertThat(own.seqNo()).isEqualTo(2);
    assertThat(own.sender()).isEqualTo(new NodeId(0));
    assertThat(own.digest()).isEqualTo(Digest.sha256(node0.state.headHash().bytes(),
        node0.state.worldRoot().bytes()));
    assertThat(own.verify(TestAuth.CLUSTER, TestAuth.of(1, 4))).isTrue();
    // every correct replica computes the same d
    for (Decision<BlockCommitEvent> other : at2) {
      assertThat(multicastCheckpoint(other).digest()).isEqualTo(own.digest());
    }
    assertThat(commitEverywhere(3).get(0).outputs()).noneMatch(o -> o instanceof Output.Multicast);
    assertThat(commitEverywhere(4).get(0).outputs()).filteredOn(o -> o instanceof Output.Multicast)
        .hasSize(1);
  }

  @Test
  void twoFPlusOneMatchingMakeTheCheckpointStable() {
    commitEverywhere(1);
    List<Decision<BlockCommitEvent>> at2 = commitEverywhere(2);
    Checkpoint c1 = multicastCheckpoint(at2.get(1));
    Checkpoint c2 = multicastCheckpoint(at2.get(2));

    // own + 1 = 2f: not enough
    Decision<BlockCommitEvent> d1 = receive(node0, c1);
    assertThat(d1.events()).containsExactly(new CheckpointAccepted(c1));
    assertThat(d1.outputs()).isEmpty();
    assertThat(node0.state.lastStableCheckpoint()).isZero();

    // own + 2 = 2f+1: stable, and the agreement and election are told
    Decision<BlockCommitEvent> d2 = receive(node0, c2);
    Digest d = c2.digest();
    assertThat(d2.events()).containsExactly(new CheckpointAccepted(c2), new CheckpointStable(2, d));
    assertThat(d2.outputs()).singleElement().isInstanceOfSatisfying(Output.ToSibling.class,
        t -> assertStableWithProof(t.signal(), 2, d));
    assertThat(node0.state.lastStableCheckpoint()).isEqualTo(2);
    assertThat(node0.state.lastStableDigest()).isEqualTo(d);
    assertThat(node0.state.stableCheckpointProof()).extracting(Checkpoint::sender)
        .containsExactly(new NodeId(0), new NodeId(1), new NodeId(2));
    // the log at or below the stable checkpoint is discarded
    assertThat(node0.state.checkpointsAt(2)).isEmpty();
    assertThat(node0.state.ownCheckpoints()).isEmpty();

    // checkpoint messages at or below the last stable one are dropped
    Checkpoint c3 = multicastCheckpoint(at2.get(3));
    assertThat(receive(node0, c3).isEmpty()).isTrue();
  }

  /** Node 0 executes another batch at 2 than nodes 1..3: its checkpoint digest differs. */
  List<Checkpoint> divergeNode0AtTwo() {
    commitEverywhere(1);
    List<Checkpoint> others = new ArrayList<>();
    for (Driver d : nodes.subList(1, 4)) {
      others.add(multicastCheckpoint(d.commit(2, request("client-0", 2, "kv", "put", "k2", "v"))));
    }
    return others;
  }

  @Test
  void aCertifiedDigestOtherThanOwnIsReportedAsDivergence() {
    // §4.3 + quorum intersection: 2f+1 matching CHECKPOINTs for d' while this replica took d ≠ d'
    // cannot happen to a correct replica with at most f faulty; it is reported, never adopted
    List<Checkpoint> others = divergeNode0AtTwo();
    Digest own = multicastCheckpoint(node0.commit(2,
        request("client-0", 2, "kv", "put", "k2", "other"))).digest();
    Decision<BlockCommitEvent> first = receive(node0, others.get(0));
    assertThat(first.events()).containsExactly(new CheckpointAccepted(others.get(0)),
        new CheckpointMismatch(others.get(0), own));
    receive(node0, others.get(1));
    Decision<BlockCommitEvent> third = receive(node0, others.get(2));
    assertThat(third.events()).contains(new StateDiverged(2, own, others.get(0).digest(),
        List.of(new NodeId(1), new NodeId(2), new NodeId(3))));
    assertThat(node0.state.lastStableCheckpoint()).as("never adopted").isZero();
  }

  @Test
  void divergenceIsReportedAlsoWhenTheOthersArriveBeforeOwnCheckpoint() {
    List<Checkpoint> others = divergeNode0AtTwo();
    others.forEach(c -> receive(node0, c));
    Decision<BlockCommitEvent> d = node0.commit(2,
        request("client-0", 2, "kv", "put", "k2", "other"));
    assertThat(d.events()).filteredOn(CheckpointMismatch.class::isInstance).hasSize(3);
    assertThat(d.events()).filteredOn(StateDiverged.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((StateDiverged) e).signers()).hasSize(3));
    // one healthy round changes nothing: matching checkpoints report nothing
    assertThat(nodes.get(1).step(new Input.Receive(others.get(1))).events())
        .noneMatch(e -> e instanceof CheckpointMismatch || e instanceof StateDiverged);
  }

  @Test
  void othersArrivingBeforeOwnCheckpointMakeItStableWhenOwnIsTaken() {
    // own counts towards 2f+1 (§4.3); here it completes the quorum
    for (Driver d : nodes.subList(1, 4)) {
      d.commit(1, request("client-0", 1, "kv", "put", "k1", "v"));
    }
    List<Checkpoint> others = new ArrayList<>();
    for (Driver d : nodes.subList(1, 3)) {
      others.add(multicastCheckpoint(d.commit(2, request("client-0", 2, "kv", "put", "k2", "v"))));
    }
    for (Checkpoint c : others) {
      Decision<BlockCommitEvent> d = receive(node0, c);
      assertThat(d.events()).containsExactly(new CheckpointAccepted(c)); // not stable: no own
    }
    node0.commit(1, request("client-0", 1, "kv", "put", "k1", "v"));
    Decision<BlockCommitEvent> d = node0.commit(2, request("client-0", 2, "kv", "put", "k2", "v"));
    assertThat(d.events()).hasSize(3);
    assertThat(d.events().get(2)).isEqualTo(new CheckpointStable(2, others.get(0).digest()));
    assertThat(d.outputs()).hasSize(4);
    assertThat(d.outputs().get(0)).isInstanceOf(Output.Executed.class);
    // election hears of the execution before the checkpoint it made stable
    assertThat(d.outputs().get(1)).isInstanceOfSatisfying(Output.ToSibling.class,
        t -> assertThat(t.signal()).isInstanceOf(Signal.BatchExecuted.class));
    assertThat(d.outputs().get(3)).isInstanceOfSatisfying(Output.ToSibling.class,
        t -> assertStableWithProof(t.signal(), 2, others.get(0).digest()));
  }

  /** §4.4: the stable signal carries C, 2f+1 matching CHECKPOINTs from distinct replicas. */
  static void assertStableWithProof(Signal signal, long n, Digest d) {
    assertThat(signal).isInstanceOfSatisfying(Signal.CheckpointStable.class, cs -> {
      assertThat(cs.seqNo()).isEqualTo(n);
      assertThat(cs.digest()).isEqualTo(d);
      assertThat(cs.proof()).hasSize(3)
          .allMatch(c -> c.seqNo() == n && c.digest().equals(d));
      assertThat(cs.proof().stream().map(c -> c.sender()).distinct()).hasSize(3);
    });
  }

  @Test
  void forgedSignatureNeverCounts() {
    commitEverywhere(1);
    List<Decision<BlockCommitEvent>> at2 = commitEverywhere(2);
    Checkpoint c1 = multicastCheckpoint(at2.get(1));
    Checkpoint c2 = multicastCheckpoint(at2.get(2));
    Checkpoint forged2 = new Checkpoint(2, c2.digest(), c2.sender(),
        TestAuth.forged(c2.signature()));
    receive(node0, c1);
    Decision<BlockCommitEvent> d = receive(node0, forged2);
    assertThat(d.events()).hasSize(1);
    assertThat(d.events().get(0)).isInstanceOf(Rejected.class);
    assertThat(((Rejected) d.events().get(0)).reason()).contains("signature does not verify");
    assertThat(node0.journal).noneMatch(e -> e instanceof Rejected); // volatile: not journalled
    assertThat(node0.state.lastStableCheckpoint()).isZero();
    // a replica signing as node-2 with node-3's key does not count either
    // node-3 signing a checkpoint in node-2's name does not count either
    Checkpoint wrongKey = new Checkpoint(2, c2.digest(), new NodeId(2),
        TestAuth.sig("node-3", c2.signedBytes(TestAuth.CLUSTER)));
    assertThat(receive(node0, wrongKey).events().get(0)).isInstanceOf(Rejected.class);
    assertThat(node0.state.lastStableCheckpoint()).isZero();
    // the genuine message still completes the quorum
    assertThat(receive(node0, c2).events()).contains(new CheckpointStable(2, c2.digest()));
  }

  @Test
  void mismatchingDigestNeverCounts() {
    commitEverywhere(1);
    List<Decision<BlockCommitEvent>> at2 = commitEverywhere(2);
    Checkpoint c1 = multicastCheckpoint(at2.get(1));
    Digest other = Digest.sha256("another state".getBytes());
    Checkpoint lying2 = Checkpoint.sign(TestAuth.CLUSTER, 2, other, new NodeId(2),
        TestAuth.of(2, 4));
    Checkpoint lying3 = Checkpoint.sign(TestAuth.CLUSTER, 2, other, new NodeId(3),
        TestAuth.of(3, 4));
    receive(node0, c1);
    Digest own = node0.state.ownCheckpoint(2).orElseThrow().digest();
    assertThat(receive(node0, lying2).events()).containsExactly(new CheckpointAccepted(lying2),
        new CheckpointMismatch(lying2, own));
    // a mismatch with f+1 < 2f+1 signers is evidence of a faulty member, not a divergence
    assertThat(receive(node0, lying3).events()).containsExactly(new CheckpointAccepted(lying3),
        new CheckpointMismatch(lying3, own));
    // 2 match own, 2 match another digest: no quorum for either; never stable on a digest
    // this replica does not hold
    assertThat(node0.state.lastStableCheckpoint()).isZero();
    assertThat(node0.state.matchingCheckpoints(2, other)).isEqualTo(2);
    // node-2 changing its mind is refused (one checkpoint per sender and seqNo)
    Checkpoint honest2 = multicastCheckpoint(at2.get(2));
    Decision<BlockCommitEvent> d = receive(node0, honest2);
    assertThat(d.events().get(0)).isInstanceOf(Rejected.class);
    assertThat(node0.state.lastStableCheckpoint()).isZero();
  }

  @Test
  void duplicatesCountOnce() {
    commitEverywhere(1);
    Checkpoint c1 = multicastCheckpoint(commitEverywhere(2).get(1));
    receive(node0, c1);
    assertThat(receive(node0, c1).isEmpty()).isTrue();
    assertThat(node0.state.matchingCheckpoints(2, c1.digest())).isEqualTo(2);
    assertThat(node0.state.lastStableCheckpoint()).isZero();
  }

  @Test
  void malformedSendersAndSeqNosAreRejected() {
    Digest d = Digest.sha256("x".getBytes());
    Checkpoint stranger = new Checkpoint(2, d, new NodeId(9),
        TestAuth.sig("node-9", new Checkpoint(2, d, new NodeId(9), new byte[0])
            .signedBytes(TestAuth.CLUSTER)));
    assertThat(((Rejected) receive(node0, stranger).events().get(0)).reason())
        .contains("not a replica");
    Checkpoint notMultiple = Checkpoint.sign(TestAuth.CLUSTER, 3, d, new NodeId(1),
        TestAuth.of(1, 4));
    assertThat(((Rejected) receive(node0, notMultiple).events().get(0)).reason())
        .contains("not a multiple");
    Checkpoint beyond = Checkpoint.sign(TestAuth.CLUSTER, 6, d, new NodeId(1), TestAuth.of(1, 4));
    assertThat(((Rejected) receive(node0, beyond).events().get(0)).reason())
        .contains("high watermark");
    Checkpoint otherCluster = Checkpoint.sign("other-cluster", 2, d, new NodeId(1),
        TestAuth.of(1, 4));
    assertThat(receive(node0, otherCluster).events().get(0)).isInstanceOf(Rejected.class);
    Checkpoint selfNotTaken = Checkpoint.sign(TestAuth.CLUSTER, 2, d, new NodeId(0),
        TestAuth.of(0, 4));
    assertThat(receive(node0, selfNotTaken).events().get(0)).isInstanceOf(Rejected.class);
    assertThat(node0.journal).isEmpty();
  }

  @Test
  void stableCheckpointAndLogSurviveReplayAndOwnCheckpointsAreResentOnRecovery() {
    commitEverywhere(1);
    List<Decision<BlockCommitEvent>> at2 = commitEverywhere(2);
    receive(node0, multicastCheckpoint(at2.get(1)));
    receive(node0, multicastCheckpoint(at2.get(2)));
    commitEverywhere(3);
    List<Decision<BlockCommitEvent>> at4 = commitEverywhere(4);
    Checkpoint c4 = multicastCheckpoint(at4.get(3));
    receive(node0, c4);
    // a quiet step (no output): its event waits for the replica's next write, and a crash
    // before that loses it as if the CHECKPOINT had never arrived
    assertThat(node0.replay().checkpointsAt(4)).containsOnlyKeys(new NodeId(0));
    node0.runner.flush();

    var restarted = node0.restarted();
    BlockCommitState rebuilt = restarted.state();
    assertThat(rebuilt.headHash()).isEqualTo(node0.state.headHash());
    assertThat(rebuilt.lastStableCheckpoint()).isEqualTo(2);
    assertThat(rebuilt.lastStableDigest()).isEqualTo(node0.state.lastStableDigest());
    assertThat(rebuilt.stableCheckpointProof()).hasSize(3);
    assertThat(rebuilt.checkpointsAt(4)).containsOnlyKeys(new NodeId(0), new NodeId(3));
    // a crash may have come after CheckpointStable was journaled and before the siblings
    // journaled their reaction: recovery tells them again, with the proof (OSDI'99 §4.4)
    Decision<BlockCommitEvent> recovered = restarted.recover();
    assertThat(recovered.outputs().get(0)).isEqualTo(new Output.ToSibling(
        new Signal.CheckpointStable(2, rebuilt.lastStableDigest(),
            rebuilt.stableCheckpointProof())));
    assertStableWithProof(((Output.ToSibling) recovered.outputs().get(0)).signal(), 2,
        node0.state.lastStableDigest());
    // a crash may have cut the multicast short: recovery re-sends own checkpoints above h
    Checkpoint own4 = multicastCheckpoint(at4.get(0));
    // … and its STATUS, so that a replica restarted behind an idle cluster learns it at once
    assertThat(recovered.outputs()).containsExactly(recovered.outputs().get(0),
        new Output.Multicast(own4),
        new Output.Multicast(Status.sign(node0.params.clusterId(), 0, 2, 4,
            node0.self, TestAuth.of(0, node0.params.n()))));
    assertThat(recovered.events()).isEmpty();
  }

  @Test
  void recoveryBelowTheFirstStableCheckpointSignalsNoSibling() {
    // genesis (n = 0) is no stable checkpoint: nothing to tell agreement or election
    commitEverywhere(1);
    commitEverywhere(2); // own checkpoint at 2 taken, not stable
    Decision<BlockCommitEvent> recovered = node0.restarted().recover();
    assertThat(recovered.outputs()).noneMatch(o -> o instanceof Output.ToSibling);
    assertThat(recovered.outputs()).hasSize(2); // own CHECKPOINT at 2, STATUS
  }
}
