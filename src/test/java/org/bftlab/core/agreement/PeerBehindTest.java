package org.bftlab.core.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.agreement.FakeAuth.request;

import java.util.List;
import org.bftlab.core.Input;
import org.bftlab.core.Signal;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ReplicaMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Receiver-initiated retransmission (Castro's thesis §5.2, paraphrased: a replica that receives a
 * status message from a peer that is behind re-sends it the messages it is missing). Block commit
 * turns a peer's STATUS into {@link Signal.PeerBehind}; agreement re-sends the PRE-PREPARE and
 * its own PREPARE and COMMIT of every quiet committed slot above the peer's last executed seqNo.
 */
class PeerBehindTest {
  static final NodeId WIPED = new NodeId(3);

  /** n = 4, batch 1, K = 4, L = 8, retransmitTicks = 3; seqNos 1 and 2 committed everywhere. */
  Cluster committedTwo() {
    Cluster c = new Cluster(Cluster.params(4, 1, 2, 4, 8, 3));
    c.submit(0, request(0, 1));
    c.submit(0, request(0, 2));
    c.run();
    for (int i = 0; i < 4; i++) {
      assertThat(c.deliveredSeqNos(i)).containsExactly(1L, 2L);
    }
    return c;
  }

  /** Replica 3 loses its whole journal (a wiped data directory) and restarts empty. */
  static void wipe(Cluster c, int node) {
    c.crash(node);
    c.journal.get(node).clear();
    c.delivered.get(node).clear();
    c.restart(node);
  }

  @Test
  @DisplayName("A wiped backup whose COMMITs its peers still hold is not helped by helpLaggards; "
      + "its STATUS (PeerBehind) makes them re-send their own PRE-PREPARE, PREPARE, COMMIT and it "
      + "commits the same digests without signing anything different")
  void wipedBackupCatchesUpFromPeerBehind() {
    Cluster c = committedTwo();
    wipe(c, 3);
    c.tick(10);
    assertThat(c.delivered.get(3)).as("peers hold its COMMITs: nobody helps").isEmpty();

    c.signalAll(new Signal.PeerBehind(WIPED, 0));

    assertThat(c.deliveredSeqNos(3)).containsExactly(1L, 2L);
    assertThat(c.deliveredDigests(3)).isEqualTo(c.deliveredDigests(0));
    assertThat(c.selfEquivocations(3)).isEmpty();
    List<Cluster.Envelope> toWiped = c.sent.stream().filter(e -> e.to().equals(WIPED)).toList();
    assertThat(toWiped).anyMatch(e -> e.message() instanceof PrePrepare)
        .anyMatch(e -> e.message() instanceof Prepare)
        .anyMatch(e -> e.message() instanceof Commit)
        .as("only own messages: nobody relays another replica's signature (client requests "
            + "are relayed, with their client's signature)")
        .allMatch(e -> !(e.message() instanceof ReplicaMessage m)
            || m.sender().equals(e.from()));
  }

  @Test
  @DisplayName("Bounded: only seqNos above the peer's last executed, at most once per (seqNo, "
      + "peer) per retransmitTicks, never to itself, and nothing for a slot still busy")
  void helpIsBoundedAndRateLimited() {
    Cluster c = committedTwo();
    c.tick(4); // both slots quiet now
    int before = c.sent.size();
    c.input(1, new Input.FromSibling(new Signal.PeerBehind(WIPED, 1)));
    List<Long> seqNos = c.sent.subList(before, c.sent.size()).stream()
        .map(e -> AgreementState.seqNoOf((ReplicaMessage) e.message()))
        .distinct().toList();
    assertThat(seqNos).containsExactly(2L);
    assertThat(c.sent.subList(before, c.sent.size())).allMatch(e -> e.to().equals(WIPED))
        .hasSize(2).noneMatch(e -> e.message() instanceof PrePrepare); // own PREPARE, COMMIT
    int afterFirst = c.sent.size();
    c.input(1, new Input.FromSibling(new Signal.PeerBehind(WIPED, 1)));
    assertThat(c.sent.size()).as("again within retransmitTicks: nothing").isEqualTo(afterFirst);
    c.input(1, new Input.FromSibling(new Signal.PeerBehind(new NodeId(1), 0)));
    assertThat(c.sent.size()).as("never to itself").isEqualTo(afterFirst);

    c.submit(0, request(0, 3));
    c.run();
    int busy = c.sent.size();
    c.input(1, new Input.FromSibling(new Signal.PeerBehind(WIPED, 2)));
    assertThat(c.sent.size()).as("slot 3 just committed: a busy cluster re-sends nothing")
        .isEqualTo(busy);
  }
}
