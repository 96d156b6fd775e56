package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import java.util.List;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.agreement.AgreementEvent.HeldUntilViewConfirmed;
import org.bftlab.core.agreement.AgreementEvent.PoolAdopted;
import org.bftlab.core.agreement.AgreementEvent.ViewConfirmed;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, PrimaryKillsIT's last loss path: the replica that restarts after a primary kill is
 * that primary, in its old view, and it takes client requests before it reaches any peer. It
 * used to pre-prepare them in that stale view — the PRE-PREPARE and the relay reached no one,
 * a state transfer then moved h past the slot, and the accepted requests existed nowhere. The
 * rule (OSDI'99 §4.1: "if the replica is not the primary, it relays the request to the primary.
 * If the primary does not multicast the request to the group, it will eventually be suspected
 * to be faulty by enough replicas to cause a view change"; §4.4: the new primary is handed the
 * requests backups wait for): a (re)started primary proposes only once f+1 peers are heard in
 * its view, and holds what it takes until then, so that the request reaches the real primary.
 */
class RestartedPrimaryRequestsTest {
  /** K = 4, L = 8, retransmit 5 ticks; T = 20 ticks. */
  private static final long T = 20;

  @Test
  @DisplayName("Issue 7: the killed primary restarts in its old view, cut off, and takes a client "
      + "request while the others are in view 1 and far past its seqNos: it sends no PRE-PREPARE "
      + "for it, and after the heal the request commits everywhere without the client "
      + "retransmitting (before the fix: never)")
  void aRestartedStalePrimaryLosesNoAcceptedRequest() {
    NodeCluster c = new NodeCluster(NodeCluster.params(4, 4, 8, 5), T);
    for (long t = 1; t <= 3; t++) {
      Request r = request(0, t);
      c.submit(0, r);
      c.tickUntil(() -> c.executedEverywhere(r), 50);
    }
    c.crash(0); // the primary of view 0
    for (long t = 10; t < 30; t++) { // view 1, and h well past node-0's next seqNo (4)
      Request r = request(1, t);
      c.submit(1, r);
      c.tickUntil(() -> c.executedEverywhere(r), (int) (10 * T));
    }
    assertThat(c.es(1).view()).isEqualTo(1);
    assertThat(c.as(1).lowWatermark()).isGreaterThan(8);

    c.drop = e -> e.from().index() == 0 || e.to().index() == 0; // reaches nobody yet
    c.restart(0);
    assertThat(c.as(0).view()).as("node-0 restarts in its old view").isZero();
    assertThat(c.as(0).viewConfirmed()).isFalse();
    int sentBefore = c.sent.size();
    Request alone = request(2, 100);
    c.submit(0, alone);
    c.tick(3);
    assertThat(c.sent.subList(sentBefore, c.sent.size())).as("PRE-PREPAREs of the stale view")
        .noneMatch(e -> e.message() instanceof PrePrepare);
    assertThat(c.as(0).holds(alone.txId())).isTrue();
    assertThat(c.agreement.get(0).trace).filteredOn(HeldUntilViewConfirmed.class::isInstance)
        .singleElement().isEqualTo(new HeldUntilViewConfirmed(alone.txId(), 0));

    c.drop = e -> false;
    Request more = request(1, 200); // the load goes on, as in PrimaryKillsIT
    c.submit(1, more);
    long took = c.tickUntil(() -> c.executedEverywhere(alone) && c.executedEverywhere(more),
        (int) (20 * T));
    System.out.println("request taken by the restarted stale primary executed " + took
        + " ticks after the heal");
    for (int i = 0; i < 4; i++) {
      assertThat(c.ls(i).hasTx(alone.txId())).as("node-%d executed it", i).isTrue();
      assertThat(c.es(i).view()).as("node-%d's view", i).isEqualTo(1);
    }
  }

  private static NodeCluster.Part<AgreementState, AgreementEvent> restartedAgreement(int self) {
    NodeId id = new NodeId(self);
    NodeCluster.Part<AgreementState, AgreementEvent> a = new NodeCluster.Part<>(
        new AgreementCore(NodeCluster.params(4, 4, 8, 5), id, new FakeAuth(id, 4)));
    a.journal.add(new AgreementEvent.LowWatermarkAdvanced(4)); // it ran before: h = 4
    a.restart();
    assertThat(a.state.viewConfirmed()).isFalse();
    return a;
  }

  private static List<Output> signal(NodeCluster.Part<AgreementState, AgreementEvent> a,
      Signal s) {
    return a.step(new Input.FromSibling(s)).outputs();
  }

  @Test
  @DisplayName("The confirmation rule: only f+1 distinct peers in this replica's own view count "
      + "(not itself, a non-member, a repeat, nor a peer in a higher view — that one shows this "
      + "replica is behind, TOCS'02 §4.5); then the primary proposes what it held; a replica that "
      + "never restarted, or starts with an empty journal, proposes at once, as before")
  void aRestartedPrimaryProposesOnlyOnceFPlusOnePeersAreHeardInItsView() {
    NodeCluster.Part<AgreementState, AgreementEvent> p = restartedAgreement(0);
    Request r = request(2, 1);
    List<Output> out = p.step(new Input.Submit(r)).outputs();
    assertThat(out).contains(new Output.Multicast(r)).noneMatch(o -> o instanceof Output.Multicast m
        && m.message() instanceof PrePrepare);
    assertThat(p.state.holds(r.txId())).isTrue();

    signal(p, new Signal.PeerInStep(0, new NodeId(0)));
    signal(p, new Signal.PeerInStep(0, new NodeId(7)));
    signal(p, new Signal.PeerInStep(3, new NodeId(2)));
    signal(p, new Signal.PeerInStep(0, new NodeId(1)));
    signal(p, new Signal.PeerInStep(0, new NodeId(1)));
    assertThat(p.state.viewConfirmed()).as("one peer in view 0 is not f+1 = 2").isFalse();
    for (int t = 0; t < 10; t++) {
      assertThat(p.step(Input.TICK).outputs()).noneMatch(o -> o instanceof Output.Multicast m
          && m.message() instanceof PrePrepare);
    }

    signal(p, new Signal.PeerInStep(0, new NodeId(3)));
    assertThat(p.trace).filteredOn(ViewConfirmed.class::isInstance).singleElement()
        .isEqualTo(new ViewConfirmed(0, List.of(new NodeId(1), new NodeId(3)), 1));
    assertThat(p.trace).filteredOn(PoolAdopted.class::isInstance).hasSize(1);
    boolean proposed = false;
    for (int t = 0; t < 5 && !proposed; t++) {
      proposed = p.step(Input.TICK).outputs().stream().anyMatch(o -> o instanceof Output.Multicast m
          && m.message() instanceof PrePrepare pp && pp.batch().contains(r));
    }
    assertThat(proposed).as("the held request is proposed once the view is confirmed").isTrue();

    NodeId zero = new NodeId(0);
    NodeCluster.Part<AgreementState, AgreementEvent> fresh = new NodeCluster.Part<>(
        new AgreementCore(NodeCluster.params(4, 4, 8, 5), zero, new FakeAuth(zero, 4)));
    assertThat(fresh.state.viewConfirmed()).isTrue();
    fresh.restart(); // a first start: an empty journal is view 0 at genesis, nobody is ahead
    assertThat(fresh.state.viewConfirmed()).isTrue();
    fresh.step(new Input.Submit(request(2, 2)));
    assertThat(fresh.state.pendingRequests() + fresh.state.slots().size()).isEqualTo(1);
  }

  @Test
  @DisplayName("A restarted backup, once f+1 peers confirm its view, sends the requests it "
      + "accepted itself to the primary at once (their relay may have reached no one)")
  void aRestartedBackupSendsWhatItAcceptedToThePrimaryAtConfirmation() {
    NodeCluster.Part<AgreementState, AgreementEvent> b = restartedAgreement(2);
    Request r = request(2, 1);
    b.step(new Input.Submit(r));
    signal(b, new Signal.PeerInStep(0, new NodeId(0)));
    List<Output> out = signal(b, new Signal.PeerInStep(0, new NodeId(3)));
    assertThat(b.state.viewConfirmed()).isTrue();
    assertThat(out).contains(new Output.Send(new NodeId(0), r));
  }
}
