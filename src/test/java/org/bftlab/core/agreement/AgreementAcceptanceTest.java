package org.bftlab.core.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bftlab.core.agreement.FakeAuth.CLUSTER;
import static org.bftlab.core.agreement.FakeAuth.request;

import java.util.List;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementEvent.CommitAccepted;
import org.bftlab.core.agreement.AgreementEvent.CommittedLocal;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.PrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.Prepared;
import org.bftlab.core.agreement.AgreementEvent.Rejected;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Acceptance rules and quorums, driving one replica directly with hand-signed messages
 * (OSDI'99 §4.2). Nothing here runs the network.
 */
class AgreementAcceptanceTest {
  private static final NodeId N0 = new NodeId(0);

  private final Cluster c4 = new Cluster(Cluster.params(4, 1, 2, 4, 8, 50));

  private PrePrepare pp(Cluster c, int signer, long view, long seqNo, Request... batch) {
    return PrePrepare.sign(CLUSTER, view, seqNo, List.of(batch), new NodeId(signer), c.auth(signer));
  }

  private Prepare prepare(Cluster c, int signer, long view, long seqNo, Digest d) {
    return Prepare.sign(CLUSTER, view, seqNo, d, new NodeId(signer), c.auth(signer));
  }

  private Commit commit(Cluster c, int signer, long view, long seqNo, Digest d) {
    return Commit.sign(CLUSTER, view, seqNo, d, new NodeId(signer), c.auth(signer));
  }

  /** The decision only rejects: one Rejected whose reason contains {@code fragment}, no output. */
  private static void assertRejected(Decision<AgreementEvent> d, String fragment) {
    assertThat(d.outputs()).isEmpty();
    assertThat(d.events()).singleElement().isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains(fragment));
  }

  /**
   * Rejected as {@link #assertRejected}, and, being correctly signed by {@code sender} for the
   * higher {@code view}, reported to election (TOCS'02 §4.5: a lagging replica learns the view).
   */
  private static void assertRejectedFromHigherView(Decision<AgreementEvent> d, String fragment,
      long view, int sender) {
    assertThat(d.outputs()).containsExactly(new Output.ToSibling(
        new Signal.HigherViewSeen(view, new NodeId(sender))));
    assertThat(d.events()).singleElement().isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains(fragment));
  }

  @Test
  @DisplayName("OSDI'99 §4.2: a backup accepts a pre-prepare message provided the signatures are "
      + "correct, it is in view v, it has not accepted a pre-prepare for view v and sequence "
      + "number n containing a different digest, and h < n ≤ H; then it multicasts a PREPARE")
  void backupAcceptsValidPrePrepare() {
    PrePrepare pp = pp(c4, 0, 0, 1, request(0, 1));
    Decision<AgreementEvent> d = c4.receive(1, pp);
    assertThat(d.events()).singleElement().isInstanceOfSatisfying(PrePrepareAccepted.class, e -> {
      assertThat(e.pp()).isEqualTo(pp);
      assertThat(e.ownPrepare().digest()).isEqualTo(pp.digest());
      assertThat(e.ownPrepare().sender()).isEqualTo(new NodeId(1));
    });
    PrePrepareAccepted accepted = (PrePrepareAccepted) d.events().get(0);
    assertThat(d.outputs()).containsExactly(new Output.Multicast(accepted.ownPrepare()));
  }

  @Test
  @DisplayName("OSDI'99 §4.2: a pre-prepare whose signature is not correct is rejected")
  void forgedPrePrepareSignature() {
    PrePrepare good = pp(c4, 0, 0, 1, request(0, 1));
    byte[] wrong = FakeAuth.sig("node-3", good.signedBytes(CLUSTER)); // signed by another key
    PrePrepare forged = new PrePrepare(0, 1, good.digest(), good.batch(), N0, wrong);
    assertRejected(c4.receive(1, forged), "signature does not verify");
    assertThat(c4.states[1].slot(1)).isEmpty();
  }

  @Test
  @DisplayName("OSDI'99 §4.2: the pre-prepare must be for the current view v and from primary(v)")
  void wrongViewOrNotPrimary() {
    assertRejectedFromHigherView(c4.receive(2, pp(c4, 1, 1, 1, request(0, 1))),
        "not the current view 0", 1, 1);
    assertRejected(c4.receive(1, pp(c4, 2, 0, 1, request(0, 1))), "not the primary of view 0");
    assertRejected(c4.receive(0, pp(c4, 0, 0, 1, request(0, 1))), "claims this replica");
  }

  @Test
  @DisplayName("OSDI'99 §4.2: the sequence number must be between the watermarks, h < n ≤ H")
  void outsideWatermarks() {
    // H = h + L = 8; beyond H + L = 16 a message is rejected outright
    Decision<AgreementEvent> beyond = c4.receive(1, pp(c4, 0, 0, 17, request(0, 1)));
    // ...and, its sender's h being at least 17 - L = 9 > 0 executed here, block commit is told
    // to fetch the state (the CHECKPOINTs that would have moved h were missed)
    assertThat(beyond.outputs()).containsExactly(new Output.ToSibling(
        new Signal.StateBehind(9, N0)));
    assertThat(beyond.events()).singleElement().isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains("outside the watermarks"));
    assertThat(c4.receive(1, pp(c4, 0, 0, 8, request(0, 1))).events())
        .singleElement().isInstanceOf(PrePrepareAccepted.class);
    c4.input(1, new Input.FromSibling(
        new Signal.CheckpointStable(4, Digest.ZERO)));
    assertRejected(c4.receive(1, prepare(c4, 2, 0, 4, Digest.ZERO)), "need h=4 < n <= H=12");
  }

  @Test
  @DisplayName("A message just above H (in (H, H+L]) is deferred, not acted on, and re-examined "
      + "when the low watermark advances: a replica behind its peers must not lose it")
  void aboveHighWatermarkIsDeferredThenReleased() {
    PrePrepare ahead = pp(c4, 0, 0, 9, request(0, 1));  // H = 8
    Decision<AgreementEvent> d = c4.receive(1, ahead);
    // the sender's h is at least 9 - L = 1 > 0 executed here: block commit is asked to catch up
    assertThat(d.outputs()).containsExactly(new Output.ToSibling(
        new Signal.StateBehind(1, new NodeId(0))));
    assertThat(d.events()).singleElement().isInstanceOf(AgreementEvent.Deferred.class);
    assertThat(c4.states[1].slot(9)).as("not logged while outside the watermarks").isEmpty();
    Decision<AgreementEvent> released = c4.input(1, new Input.FromSibling(
        new Signal.CheckpointStable(4, Digest.ZERO)));
    assertThat(released.events()).anyMatch(e -> e instanceof AgreementEvent.DeferredReleased);
    assertThat(released.outputs()).contains(new Output.Send(new NodeId(1), ahead));
    assertThat(c4.states[1].deferred()).isEmpty();
  }

  @Test
  @DisplayName("OSDI'99 §4.2: a backup does not accept a pre-prepare for (v, n) containing a "
      + "different digest from one it accepted, and signs no second PREPARE")
  void conflictingDigest() {
    c4.receive(1, pp(c4, 0, 0, 1, request(0, 1)));
    Decision<AgreementEvent> d = c4.receive(1, pp(c4, 0, 0, 1, request(0, 2)));
    assertRejected(d, "already accepted a PRE-PREPARE for (v=0, n=1)");
    assertRejected(c4.receive(1, pp(c4, 0, 0, 1, request(0, 1))), "duplicate PRE-PREPARE");
    assertThat(c4.events(1, PrePrepareAccepted.class)).hasSize(1);
  }

  @Test
  @DisplayName("OSDI'99 §4.2: d must be the digest for m; a request above maxRequestBytes is "
      + "refused")
  void digestAndSizeChecks() {
    PrePrepare good = pp(c4, 0, 0, 1, request(0, 1));
    Digest other = PrePrepare.batchDigest(List.of(request(0, 2)));
    PrePrepare unsigned = new PrePrepare(0, 1, other, good.batch(), N0, new byte[0]);
    PrePrepare lying = new PrePrepare(0, 1, other, good.batch(), N0,
        c4.auth(0).sign(unsigned.signedBytes(CLUSTER))); // correctly signed, wrong batch
    assertRejected(c4.receive(1, lying), "is not the digest of the 1-request batch");

    Request huge = Request.sign(CLUSTER, new ClientId("client-0"), 9,
        "token", "transfer", List.of("x".repeat(70_000)), p -> FakeAuth.sig("client:client-0", p));
    assertRejected(c4.receive(1, pp(c4, 0, 0, 2, huge)), "more than maxRequestBytes");
    assertThat(c4.receive(1, good).events()).singleElement()
        .isInstanceOf(PrePrepareAccepted.class);
  }

  @Test
  @DisplayName("OSDI'99 §4.2: the primary sends no PREPARE; a PREPARE from primary(v), from a "
      + "non-member, with a forged signature or for another view is rejected and never counts")
  void preparesThatNeverCount() {
    PrePrepare pp = pp(c4, 0, 0, 1, request(0, 1));
    c4.receive(1, pp); // own prepare: 1 of 2f = 2
    Digest d = pp.digest();
    assertRejected(c4.receive(1, prepare(c4, 0, 0, 1, d)), "the primary sends no PREPARE");
    Prepare fromOutsider = new Prepare(0, 1, d, new NodeId(4),
        FakeAuth.sig("node-4", prepare(c4, 2, 0, 1, d).signedBytes(CLUSTER)));
    assertRejected(c4.receive(1, fromOutsider), "not a member of this cluster (n=4)");
    Prepare forged = new Prepare(0, 1, d, new NodeId(2), new byte[32]);
    assertRejected(c4.receive(1, forged), "signature does not verify under node-2");
    assertRejectedFromHigherView(c4.receive(1, prepare(c4, 2, 1, 1, d)),
        "view 1 is not the current view 0", 1, 2);
    LogEntry e = c4.states[1].slot(1).orElseThrow().entry(0).orElseThrow();
    assertThat(e.matchingPrepares(d)).isEqualTo(1);
    assertThat(e.isPrepared()).isFalse();
    // one genuine PREPARE from a backup completes 2f
    assertThat(c4.receive(1, prepare(c4, 2, 0, 1, d)).events())
        .hasAtLeastOneElementOfType(Prepared.class);
  }

  @Test
  @DisplayName("OSDI'99 §4.2: prepared needs the pre-prepare and 2f matching prepares from "
      + "distinct backups — 2f-1 is not enough (n=7, f=2, at a backup and at the primary)")
  void preparedNeedsExactly2f() {
    Cluster c7 = new Cluster(Cluster.params(7, 1, 2, 4, 8, 50));
    PrePrepare pp = pp(c7, 0, 0, 1, request(0, 1));
    Digest d = pp.digest();
    c7.submit(0, request(0, 1)); // the primary proposes the same batch
    assertThat(c7.states[0].slot(1).orElseThrow().entry(0).orElseThrow().digest()).contains(d);

    c7.receive(1, pp); // backup node-1: own PREPARE = 1
    c7.receive(1, prepare(c7, 2, 0, 1, d)); // 2
    c7.receive(1, prepare(c7, 3, 0, 1, PrePrepare.batchDigest(List.of(request(0, 9))))); // other d
    c7.receive(1, prepare(c7, 4, 0, 1, d)); // 3 = 2f-1
    assertThat(c7.events(1, Prepared.class)).isEmpty();
    assertThat(c7.receive(1, prepare(c7, 5, 0, 1, d)).events()) // 4 = 2f
        .filteredOn(Prepared.class::isInstance).singleElement()
        .satisfies(e -> assertThat(((Prepared) e).ownCommit().digest()).isEqualTo(d));

    for (int j = 1; j <= 3; j++) { // primary: 2f-1 backup prepares
      c7.receive(0, prepare(c7, j, 0, 1, d));
    }
    assertThat(c7.events(0, Prepared.class)).isEmpty();
    Decision<AgreementEvent> last = c7.receive(0, prepare(c7, 4, 0, 1, d));
    assertThat(last.events()).hasAtLeastOneElementOfType(Prepared.class);
    assertThat(last.outputs()).singleElement().isInstanceOf(Output.Multicast.class);
  }

  @Test
  @DisplayName("OSDI'99 §4.2: committed-local needs prepared and 2f+1 matching commits from "
      + "distinct replicas, own included; commits that arrive before prepared are kept")
  void committedLocalNeeds2fPlus1() {
    PrePrepare pp = pp(c4, 0, 0, 1, request(0, 1));
    Digest d = pp.digest();
    c4.receive(1, commit(c4, 2, 0, 1, d)); // before the pre-prepare: logged
    c4.receive(1, commit(c4, 2, 0, 1, d)); // duplicate: no growth
    c4.receive(1, pp);
    assertThat(c4.events(1, CommitAccepted.class)).hasSize(1);
    c4.receive(1, prepare(c4, 2, 0, 1, d)); // prepared: own commit → 2 commits
    assertThat(c4.events(1, Prepared.class)).hasSize(1);
    assertThat(c4.events(1, CommittedLocal.class)).isEmpty();
    Commit forged = new Commit(0, 1, d, new NodeId(3), new byte[32]);
    assertRejected(c4.receive(1, forged), "signature does not verify");
    assertThat(c4.events(1, CommittedLocal.class)).isEmpty();
    Decision<AgreementEvent> done = c4.receive(1, commit(c4, 0, 0, 1, d)); // 3 = 2f+1
    assertThat(done.events()).filteredOn(CommittedLocal.class::isInstance)
        .containsExactly(new CommittedLocal(0, 1, d));
    assertThat(done.outputs()).singleElement().isInstanceOfSatisfying(Output.ToSibling.class,
        t -> assertThat(t.signal()).isInstanceOf(Signal.BatchCommitted.class));
  }

  @Test
  @DisplayName("VoteTally: a duplicated PREPARE or COMMIT never grows a quorum")
  void duplicatesDoNotGrowQuorums() {
    Cluster c7 = new Cluster(Cluster.params(7, 1, 2, 4, 8, 50));
    PrePrepare pp7 = pp(c7, 0, 0, 1, request(0, 1));
    Digest d = pp7.digest();
    c7.receive(1, pp7);
    for (int k = 0; k < 5; k++) {
      c7.receive(1, prepare(c7, 2, 0, 1, d));
      c7.receive(1, prepare(c7, 3, 0, 1, d));
    }
    LogEntry e = c7.states[1].slot(1).orElseThrow().entry(0).orElseThrow();
    assertThat(e.matchingPrepares(d)).isEqualTo(3);
    assertThat(e.isPrepared()).isFalse();
    assertThat(c7.events(1, PrepareAccepted.class)).hasSize(2);
    assertThat(c7.events(1, Rejected.class)).hasSize(8)
        .allSatisfy(r -> assertThat(r.reason()).startsWith("duplicate PREPARE"));
  }

  @Test
  @DisplayName("OSDI'99 §4.1: the primary drops a forwarded request that fails the request "
      + "checks; a backup does not order forwarded requests")
  void forwardedRequests() {
    Request r = request(0, 1);
    assertRejected(c4.receive(0, r.withSignature(new byte[32])), "BAD_SIGNATURE");
    // TOCS'02 §4.5.2: the replica that accepted it relays it to all; a backup holds it and
    // waits for it (its view-change timer runs) instead of dropping it
    var held = c4.receive(2, r);
    assertThat(held.events()).hasAtLeastOneElementOfType(AgreementEvent.RequestHeld.class);
    assertThat(held.outputs()).contains(new Output.ToSibling(
        new Signal.RequestPending(r.txId())));
    assertThat(c4.receive(0, r).events()).hasAtLeastOneElementOfType(
        AgreementEvent.PrePrepareSent.class);
  }

  @Test
  @DisplayName("Persist before send: apply refuses an event that would sign a second digest for "
      + "one (view, seqNo, phase)")
  void applyRefusesEquivocation() {
    PrePrepare pp = pp(c4, 0, 0, 1, request(0, 1));
    c4.receive(1, pp);
    PrePrepare other = pp(c4, 0, 0, 1, request(0, 2));
    Prepare otherPrepare = prepare(c4, 1, 0, 1, other.digest());
    AgreementState s = c4.states[1];
    assertThatThrownBy(() -> c4.cores[1].apply(s,
        new AgreementEvent.PrePrepareAccepted(other, otherPrepare)))
        .isInstanceOf(IllegalStateException.class);
    c4.submit(0, request(0, 1));
    assertThatThrownBy(() -> c4.cores[0].apply(c4.states[0], new AgreementEvent.PrePrepareSent(
        pp(c4, 0, 0, 1, request(0, 3))))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("twice");
  }
}
