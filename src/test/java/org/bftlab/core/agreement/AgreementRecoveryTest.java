package org.bftlab.core.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.agreement.FakeAuth.CLUSTER;
import static org.bftlab.core.agreement.FakeAuth.request;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareSent;
import org.bftlab.core.agreement.AgreementEvent.Rejected;
import org.bftlab.core.agreement.AgreementEvent.ResentToPeer;
import org.bftlab.core.agreement.AgreementEvent.Retransmitted;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Restart from the journal, retransmission over a lossy network, and watermarks. */
class AgreementRecoveryTest {

  @Test
  @DisplayName("Retransmission: a PRE-PREPARE lost to 2 of 3 backups is re-sent — the same signed "
      + "object — after retransmitTicks without progress, and the instance completes")
  void lostPrePrepareIsRetransmitted() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 4, 8, 3));
    Set<Integer> droppedTo = new HashSet<>();
    c.drop = e -> e.message() instanceof PrePrepare && e.to().index() != 3
        && droppedTo.add(e.to().index());
    c.submit(0, request(0, 1));
    c.run();
    assertThat(c.states[0].slot(1).orElseThrow().isCommittedLocal()).isFalse();
    c.tick(2);
    assertThat(c.events(0, Retransmitted.class)).isEmpty();
    c.tick(1);
    assertThat(c.events(0, Retransmitted.class)).singleElement()
        .satisfies(r -> assertThat(r.seqNos()).containsExactly(1L));
    for (int i = 0; i < 4; i++) {
      assertThat(c.deliveredSeqNos(i)).containsExactly(1L);
      assertThat(c.selfEquivocations(i)).isEmpty();
    }
    List<byte[]> signatures = c.sent.stream().filter(e -> e.message() instanceof PrePrepare)
        .map(e -> ((PrePrepare) e.message()).signature()).toList();
    assertThat(signatures).hasSize(6).allSatisfy(s -> assertThat(s).isEqualTo(signatures.get(0)));
  }

  @Test
  @DisplayName("Retransmission: a replica that lost every COMMIT re-sends its own messages; "
      + "committed replicas answer once per (seqNo, peer) and it commits, without ping-pong")
  void lostCommitsAreRecoveredByHelp() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 4, 8, 3));
    boolean[] lossy = {true};
    c.drop = e -> lossy[0] && e.message() instanceof Commit && e.to().index() == 3;
    c.submit(0, request(0, 1));
    c.run();
    assertThat(c.deliveredSeqNos(0)).containsExactly(1L);
    assertThat(c.delivered.get(3)).isEmpty();
    lossy[0] = false;
    c.tick(3);
    assertThat(c.events(3, Retransmitted.class)).isNotEmpty();
    assertThat(c.deliveredSeqNos(3)).containsExactly(1L);
    assertThat(c.deliveredDigests(3)).isEqualTo(c.deliveredDigests(0));
    for (int i = 0; i < 3; i++) {
      assertThat(c.events(i, ResentToPeer.class)).containsExactly(
          new ResentToPeer(1, new NodeId(3)));
    }
    c.tick(20); // quiet afterwards: nothing in flight, no further retransmission
    assertThat(c.events(3, Retransmitted.class)).hasSize(1);
  }

  @Test
  @DisplayName("Recovery: a backup rebuilt from its persisted events re-delivers committed "
      + "batches in order, re-sends its own messages unchanged, and never signs a second digest")
  void backupRestartsFromJournal() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 4, 8, 3));
    c.submit(0, request(0, 1));
    c.submit(0, request(0, 2));
    c.run();
    c.hold = e -> e.message() instanceof Commit;
    c.submit(0, request(0, 3));
    c.run();
    AgreementState before = c.states[1];
    long view = before.view();
    long next = before.nextSeqNo();
    Commit ownCommit = before.slot(3).orElseThrow().entry(0).orElseThrow().ownCommit()
        .orElseThrow();
    assertThat(before.slot(3).orElseThrow().isCommittedLocal()).isFalse();

    c.crash(1);
    c.restart(1);
    AgreementState after = c.states[1];
    assertThat(c.journal.get(1)).noneMatch(e -> e instanceof Event.Volatile);
    assertThat(after.view()).isEqualTo(view);
    assertThat(after.nextSeqNo()).isEqualTo(next);
    assertThat(after.lastDeliveredSeqNo()).isEqualTo(2);
    assertThat(after.slot(3).orElseThrow().entry(0).orElseThrow().isPrepared()).isTrue();
    Decision<AgreementEvent> recovered = c.last;
    assertThat(recovered.outputs()).contains(new Output.Multicast(ownCommit));
    assertThat(c.deliveredSeqNos(1)).containsExactly(1L, 2L, 1L, 2L);

    // a conflicting PRE-PREPARE for (0, 3) is refused after the restart too
    PrePrepare conflicting = PrePrepare.sign(CLUSTER, 0, 3, List.of(request(0, 99)),
        new NodeId(0), c.auth(0));
    assertThat(c.receive(1, conflicting).events()).singleElement()
        .isInstanceOfSatisfying(Rejected.class,
            r -> assertThat(r.reason()).contains("already accepted"));

    c.release();
    c.run();
    for (int i = 0; i < 4; i++) {
      assertThat(c.deliveredDigests(i)).hasSize(3).isEqualTo(c.deliveredDigests(0));
      assertThat(c.selfEquivocations(i)).isEmpty();
    }
    assertThat(c.deliveredSeqNos(1)).containsExactly(1L, 2L, 1L, 2L, 3L);
  }

  @Test
  @DisplayName("Recovery: a restarted primary keeps its sequence numbers (PrePrepareSent is "
      + "persisted) and proposes new requests above them")
  void primaryRestartsWithoutReusingSeqNos() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 4, 8, 3));
    c.hold = e -> e.message() instanceof Commit;
    c.submit(0, request(0, 1));
    c.submit(0, request(0, 2));
    c.run();
    c.crash(0);
    c.restart(0);
    assertThat(c.states[0].nextSeqNo()).isEqualTo(3);
    assertThat(c.states[0].pendingRequests()).isZero();
    // recovery re-sends the primary's own PRE-PREPAREs and COMMITs for seqNo 1 and 2
    assertThat(c.last.outputs()).filteredOn(o -> o instanceof Output.Multicast m
        && m.message() instanceof PrePrepare).hasSize(2);
    c.release();
    c.run();
    c.submit(0, request(0, 3));
    c.run();
    assertThat(c.events(0, PrePrepareSent.class)).extracting(e -> e.pp().seqNo())
        .containsExactly(1L, 2L, 3L);
    for (int i = 0; i < 4; i++) {
      assertThat(c.deliveredDigests(i)).hasSize(3).isEqualTo(c.deliveredDigests(1));
      assertThat(c.selfEquivocations(i)).isEmpty();
    }
  }

  @Test
  @DisplayName("OSDI'99 §4.3: a stable checkpoint advances h (H = h + L), discards the log up to "
      + "it, and lets the primary propose beyond the old H")
  void watermarkAdvanceUnblocksThePrimary() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 2, 4, 50)); // K = 2, L = 4
    for (int t = 1; t <= 6; t++) {
      c.submit(0, request(0, t));
    }
    assertThat(c.events(0, PrePrepareSent.class)).hasSize(4);
    assertThat(c.states[0].pendingRequests()).isEqualTo(2);
    c.run();
    c.tick(5); // the timeout does not help: n = 5 > H = 4
    assertThat(c.events(0, PrePrepareSent.class)).hasSize(4);
    Digest cp = c.deliveredDigests(0).get(2L);
    c.signalAll(new Signal.CheckpointStable(2, cp));
    for (int i = 0; i < 4; i++) {
      AgreementState s = c.states[i];
      assertThat(s.lowWatermark()).isEqualTo(2);
      assertThat(s.highWatermark()).isEqualTo(6);
      assertThat(s.slot(1)).isEmpty();
      assertThat(s.slot(2)).isEmpty();
      assertThat(c.deliveredSeqNos(i)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
    assertThat(c.journal.get(2)).contains(new AgreementEvent.LowWatermarkAdvanced(2));
  }

  @Test
  @DisplayName("Every message dropped by a rule leaves a Rejected trace line")
  void everyDropIsTraced() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 4, 8, 50));
    List<ProtocolMessage> junk = List.of(
        PrePrepare.sign(CLUSTER, 0, 1, List.of(request(0, 1)), new NodeId(2), c.auth(2)),
        Commit.sign(CLUSTER, 5, 1, Digest.ZERO, new NodeId(2), c.auth(2)),
        Commit.sign(CLUSTER, 0, 100, Digest.ZERO, new NodeId(2), c.auth(2)));
    junk.forEach(m -> c.receive(1, m));
    assertThat(c.events(1, Rejected.class)).extracting(Rejected::messageType)
        .containsExactly("PRE-PREPARE", "COMMIT", "COMMIT");
    assertThat(c.journal.get(1)).isEmpty();
  }
}
