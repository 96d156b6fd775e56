package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.Status;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * STATUS messages (Castro's thesis, MIT-LCS-TR-817, §5.2 "Message Retransmission", paraphrased:
 * replicas periodically multicast a small status message summarising their state; a replica
 * that receives one from a peer that is behind re-sends it what it is missing, and one that
 * learns it is behind a stable checkpoint fetches the state, OSDI'99 §4.3). Here: multicast
 * after 2·retransmitTicks without executing, and at recovery.
 */
class StatusTest {
  static final int K = 2; // L = 4, n = 4, retransmitTicks = 50, statusTicks = 100
  final ProtocolParams params = TestAuth.params(4, K);
  final Cluster cluster = new Cluster(params);
  final Driver lagging = cluster.node(3);

  Status statusOf(int i) {
    Driver d = cluster.node(i);
    return Status.sign(params.clusterId(), d.state.view(), d.state.lastStableCheckpoint(),
        d.state.height(), d.self, TestAuth.of(i, params.n()));
  }

  static List<Status> multicastStatus(Decision<BlockCommitEvent> d) {
    return d.outputs().stream().filter(o -> o instanceof Output.Multicast m
        && m.message() instanceof Status).map(o -> (Status) ((Output.Multicast) o).message())
        .toList();
  }

  @Test
  @DisplayName("Sending: an idle replica multicasts STATUS ⟨v, h, e, i⟩ after statusTicks without "
      + "executing, then every statusTicks; a replica that executes sends none")
  void idleReplicaMulticastsStatusBusyOneDoesNot() {
    Driver d = cluster.node(0);
    cluster.commitEverywhere(1, 3);
    int sent = 0;
    for (int t = 1; t <= 250; t++) {
      List<Status> out = multicastStatus(d.step(Input.TICK));
      if (!out.isEmpty()) {
        sent++;
        assertThat(t % 100).as("at tick " + t).isZero();
        assertThat(out.get(0)).isEqualTo(statusOf(0));
        assertThat(out.get(0).stableSeqNo()).isEqualTo(2);
        assertThat(out.get(0).lastExecuted()).isEqualTo(3);
      }
    }
    assertThat(sent).isEqualTo(2);

    Driver busy = cluster.node(1);
    for (int t = 1; t <= 300; t++) {
      if (t % 50 == 0) {
        cluster.commitEverywhere(busy.state.height() + 1);
      }
      assertThat(multicastStatus(busy.step(Input.TICK))).as("tick " + t).isEmpty();
    }
  }

  @Test
  @DisplayName("A replica behind a stable checkpoint learns it from a peer's STATUS alone (no new "
      + "CHECKPOINT, no traffic) and fetches the state from that peer, verified")
  void statusAboveTheChainStartsAStateTransfer() {
    cluster.down.add(3);
    cluster.commitEverywhere(1, 7); // stable checkpoint 6 at replicas 0..2; replica 3 at 0
    cluster.down.remove(3);
    assertThat(cluster.node(1).state.lastStableCheckpoint()).isEqualTo(6);

    Decision<BlockCommitEvent> d = cluster.step(3, new Input.Receive(statusOf(1)));
    assertThat(d.outputs()).anyMatch(o -> o instanceof Output.Send s && s.to().index() == 1
        && s.message() instanceof StateRequest r && r.toHeight() == 6);
    cluster.run();
    assertThat(lagging.state.height()).isEqualTo(6);
    assertThat(lagging.state.lastStableCheckpoint()).isEqualTo(6);
    assertThat(lagging.state.block(6)).isEqualTo(cluster.node(1).state.block(6));
  }

  @Test
  @DisplayName("A peer's STATUS showing it behind is answered: PeerBehind to agreement (the slots "
      + "above its e), its own STATUS when the peer is below the stable checkpoint; once per "
      + "retransmitTicks")
  void statusBelowIsAnsweredOncePerRetransmitPeriod() {
    cluster.down.add(3);
    cluster.commitEverywhere(1, 7);
    cluster.down.remove(3);
    Driver peer = cluster.node(0);

    Decision<BlockCommitEvent> d = peer.step(new Input.Receive(statusOf(3)));
    assertThat(d.outputs()).containsExactly(inStep(3),
        new Output.Send(new NodeId(3), statusOf(0)),
        new Output.ToSibling(new Signal.PeerBehind(new NodeId(3), 0)));
    assertThat(peer.step(new Input.Receive(statusOf(3))).outputs())
        .as("again within retransmitTicks").containsExactly(inStep(3));
    for (int t = 0; t < 50; t++) {
      peer.step(Input.TICK);
    }
    assertThat(peer.step(new Input.Receive(statusOf(3))).outputs())
        .contains(new Output.ToSibling(new Signal.PeerBehind(new NodeId(3), 0)));

    // a peer above the stable checkpoint but behind: only the slots, no STATUS back
    Driver other = cluster.node(2);
    Status at6 = Status.sign(params.clusterId(), 0, 6, 6, new NodeId(3), TestAuth.of(3, 4));
    assertThat(other.step(new Input.Receive(at6)).outputs())
        .containsExactly(inStep(3), new Output.ToSibling(new Signal.PeerBehind(new NodeId(3), 6)));
  }

  @Test
  @DisplayName("A replica that sees a peer ahead within its stable checkpoint sends its own STATUS "
      + "to that peer (so the peer re-sends the slots), at most once per retransmitTicks")
  void peerAheadGetsOwnStatus() {
    cluster.down.add(3);
    cluster.commitEverywhere(1, 2);
    cluster.down.remove(3);
    cluster.commitEverywhere(3); // replica 3 executes nothing: it has a gap
    Status ahead = Status.sign(params.clusterId(), 0, 0, 3, new NodeId(1), TestAuth.of(1, 4));
    Decision<BlockCommitEvent> d = lagging.step(new Input.Receive(ahead));
    assertThat(d.outputs()).containsExactly(inStep(1), new Output.Send(new NodeId(1), statusOf(3)));
    assertThat(lagging.step(new Input.Receive(ahead)).outputs()).containsExactly(inStep(1));
  }

  @Test
  @DisplayName("A STATUS with a bad signature or from a non-member is refused and changes nothing; "
      + "this replica's own STATUS is ignored, and one from a peer in step only tells election "
      + "that the peer is in step")
  void badOrUselessStatusChangesNothing() {
    cluster.commitEverywhere(1, 3);
    Status good = statusOf(1);
    Status forged = new Status(good.view(), 100, 100, good.sender(),
        TestAuth.forged(good.signature()));
    Decision<BlockCommitEvent> d = cluster.node(0).step(new Input.Receive(forged));
    assertThat(d.outputs()).isEmpty();
    assertThat(d.events()).singleElement().isInstanceOf(BlockCommitEvent.Rejected.class);
    assertThat(cluster.node(0).state.transfer()).isEmpty();

    Status stranger = new Status(0, 100, 100, new NodeId(9), good.signature());
    assertThat(cluster.node(0).step(new Input.Receive(stranger)).events())
        .singleElement().isInstanceOf(BlockCommitEvent.Rejected.class);
    assertThat(cluster.node(1).step(new Input.Receive(good)).isEmpty()).isTrue();
    Decision<BlockCommitEvent> inStep = cluster.node(0).step(new Input.Receive(good));
    assertThat(inStep.events()).isEmpty();
    assertThat(inStep.outputs()).containsExactly(inStep(1));
  }

  /** The signal that tells election a peer is reachable and in this replica's view. */
  private static Output inStep(int peer) {
    return new Output.ToSibling(new Signal.PeerInStep(0, new NodeId(peer)));
  }

  @Test
  @DisplayName("STATUS binds cluster, type, view, h, e and sender in its canonical bytes")
  void canonicalBytesBindEveryField() {
    Status s = Status.sign(params.clusterId(), 1, 2, 3, new NodeId(0), TestAuth.of(0, 4));
    assertThat(s.verify(params.clusterId(), TestAuth.of(1, 4))).isTrue();
    assertThat(s.verify("other-cluster", TestAuth.of(1, 4))).isFalse();
    for (Status altered : List.of(new Status(2, 2, 3, s.sender(), s.signature()),
        new Status(1, 0, 3, s.sender(), s.signature()),
        new Status(1, 2, 4, s.sender(), s.signature()),
        new Status(1, 2, 3, new NodeId(1), s.signature()))) {
      assertThat(altered.verify(params.clusterId(), TestAuth.of(1, 4))).as(altered.toString())
          .isFalse();
    }
  }
}
