package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.election.FakeAuth.request;

import java.util.List;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Batches fetched on demand after a view change (OSDI'99 §4.4; TOCS'02 §5.1, §6.2.1): VIEW-CHANGE
 * and NEW-VIEW carry PRE-PREPARE digests, "a replica that lacks the request body for a digest in
 * O fetches it from peers before it can prepare", and accepts a body only if it hashes to the
 * digest. The scene of every test: r prepares at node-0 (the primary of view 0), node-1 and
 * node-2 but commits nowhere; node-3 never sees its PRE-PREPARE; node-0 crashes, and node-1
 * installs view 1, whose O re-proposes r's digest. Committing in view 1 needs node-3's PREPARE
 * (node-0 is down), so r executes only if node-3 fetched the batch.
 */
class BatchFetchTest {
  /** K = 4, L = 8, retransmit 5 ticks; T = 20 ticks. */
  private static final long T = 20;

  private static boolean toNode3(NodeCluster.Envelope e) {
    return e.to().index() == 3;
  }

  /** The scene above, up to node-0's crash; node-3 never receives a PRE-PREPARE. */
  private static NodeCluster scene(Request r) {
    NodeCluster c = new NodeCluster(NodeCluster.params(4, 4, 8, 5), T);
    c.drop = e -> (e.message() instanceof PrePrepare && toNode3(e))
        || (e.message() instanceof Commit cm && cm.view() == 0);
    c.submit(0, r);
    c.run();
    for (int i = 0; i < 3; i++) {
      int node = i;
      assertThat(c.as(i).slot(1)).as("node-%d prepared r at n=1", i)
          .hasValueSatisfying(sl -> assertThat(sl.entry(0).orElseThrow().isPrepared()).isTrue());
      assertThat(c.as(node).slot(1).orElseThrow().isCommittedLocal()).isFalse();
    }
    assertThat(c.as(3).batchFor(PrePrepare.batchDigest(List.of(r)))).isEmpty();
    c.crash(0);
    return c;
  }

  private static List<ProtocolMessage> sentBy(NodeCluster c, int node) {
    return c.sent.stream().filter(e -> e.from().index() == node)
        .map(NodeCluster.Envelope::message).toList();
  }

  @Test
  @DisplayName("TOCS'02 §6.2.1: a backup that never saw the PRE-PREPARE for n fetches the batch "
      + "after NEW-VIEW (O carries only its digest), then prepares and commits it")
  void backupFetchesTheBatchOfOThenPreparesAndCommits() {
    Request r = request(1, 1);
    NodeCluster c = scene(r);
    long took = c.tickUntil(() -> c.executedEverywhere(r), 10 * (int) T);
    System.out.println("r executed everywhere " + took + " ticks after the primary's crash");

    NewView nv = c.sentOf(NewView.class).get(0);
    assertThat(nv.prePrepares()).as("O: headers, the digest of r's batch at n=1")
        .singleElement().satisfies(h -> {
          assertThat(h.seqNo()).isEqualTo(1);
          assertThat(h.digest()).isEqualTo(PrePrepare.batchDigest(List.of(r)));
        });
    assertThat(nv.viewChanges()).allSatisfy(vc -> assertThat(vc.prepared())
        .allSatisfy(pc -> assertThat(pc.prePrepare()).isInstanceOf(PrePrepareHeader.class)));

    List<ProtocolMessage> node3 = sentBy(c, 3);
    int fetch = indexOf(node3, m -> m instanceof FetchBatch f && f.seqNo() == 1);
    int prepare = indexOf(node3, m -> m instanceof Prepare p && p.view() == 1 && p.seqNo() == 1);
    assertThat(fetch).as("node-3 asked for the batch").isNotNegative();
    assertThat(prepare).as("node-3 prepared (1, 1) only after it asked").isGreaterThan(fetch);
    assertThat(c.agreement.get(3).trace).as("node-3 accepted the fetched batch as O's PRE-PREPARE")
        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
            AgreementEvent.PrePrepareAccepted.class, a -> {
              assertThat(a.pp().view()).isEqualTo(1);
              assertThat(a.pp().batch()).containsExactly(r);
              assertThat(a.ownPrepare()).isNotNull();
            }));
    assertThat(c.deliveredDigests(3)).containsEntry(1L, PrePrepare.batchDigest(List.of(r)));
  }

  @Test
  @DisplayName("TOCS'02 §6.2.1: a fetched body is accepted only if it hashes to the digest — a "
      + "wrong batch is dropped, counts toward nothing and sends no PREPARE; the fetch is retried "
      + "on the retransmission timer and the right batch then prepares")
  void wrongBatchAnswerIsIgnored() {
    Request r = request(1, 1);
    NodeCluster c = scene(r);
    // every honest answer to node-3 is lost for now
    c.drop = e -> (e.message() instanceof PrePrepare && toNode3(e))
        || (e.message() instanceof FetchedBatch && toNode3(e));
    c.tickUntil(() -> c.as(3).view() == 1, 10 * (int) T);
    assertThat(c.as(3).awaitingBatch()).singleElement()
        .satisfies(h -> assertThat(h.seqNo()).isEqualTo(1));
    NodeId n2 = new NodeId(2);
    Request other = request(1, 2);
    FetchedBatch wrong = FetchedBatch.sign(FakeAuth.CLUSTER, 1,
        PrePrepare.batchDigest(List.of(r)), List.of(other), n2, c.auth(2));
    int before = c.agreement.get(3).trace.size();
    c.receive(3, wrong);
    c.run();
    List<AgreementEvent> after = c.agreement.get(3).trace.subList(before,
        c.agreement.get(3).trace.size());
    assertThat(after).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
        AgreementEvent.Rejected.class, rj -> assertThat(rj.reason()).contains("is not the digest")));
    assertThat(after).noneMatch(AgreementEvent.PrePrepareAccepted.class::isInstance);
    assertThat(c.as(3).awaitingBatch()).hasSize(1);
    assertThat(sentBy(c, 3)).noneMatch(m -> m instanceof Prepare p && p.view() == 1);
    assertThat(c.ls(3).hasTx(other.txId())).isFalse();

    long asked = sentBy(c, 3).stream().filter(FetchBatch.class::isInstance).count();
    c.drop = e -> e.message() instanceof PrePrepare && toNode3(e);
    long took = c.tickUntil(() -> c.executedEverywhere(r), 10 * (int) T);
    System.out.println("r executed everywhere " + took + " ticks after the answers got through");
    assertThat(sentBy(c, 3).stream().filter(FetchBatch.class::isInstance).count())
        .as("FETCH-BATCH retried on the retransmission timer").isGreaterThan(asked);
    assertThat(c.as(3).awaitingBatch()).isEmpty();
    assertThat(c.ls(3).hasTx(other.txId())).isFalse();
  }

  @Test
  @DisplayName("a FETCH-BATCH is answered only within the watermarks and once per (peer, n) per "
      + "retransmission period")
  void fetchAnswersAreBounded() {
    Request r = request(1, 1);
    NodeCluster c = new NodeCluster(NodeCluster.params(4, 4, 8, 5), T);
    c.drop = e -> e.message() instanceof Commit;
    c.submit(0, r);
    c.run();
    c.drop = e -> true; // observe node-1's answers only
    var d = PrePrepare.batchDigest(List.of(r));
    int before = c.sent.size();
    c.receive(1, FetchBatch.sign(FakeAuth.CLUSTER, 1, d, new NodeId(3), c.auth(3)));
    c.receive(1, FetchBatch.sign(FakeAuth.CLUSTER, 1, d, new NodeId(3), c.auth(3)));
    c.receive(1, FetchBatch.sign(FakeAuth.CLUSTER, 9, d, new NodeId(3), c.auth(3)));
    c.receive(1, FetchBatch.sign(FakeAuth.CLUSTER, 2, PrePrepare.batchDigest(List.of(
        request(1, 5))), new NodeId(3), c.auth(3)));
    c.run();
    List<FetchedBatch> answers = c.sent.subList(before, c.sent.size()).stream()
        .map(NodeCluster.Envelope::message).filter(FetchedBatch.class::isInstance)
        .map(FetchedBatch.class::cast).toList();
    assertThat(answers).as("one answer: the repeat, n=9 > H=8 and an unknown digest are refused")
        .singleElement().satisfies(a -> {
          assertThat(a.batch()).containsExactly(r);
          assertThat(a.digestMatchesBatch()).isTrue();
        });
    assertThat(c.agreement.get(1).trace.stream().filter(AgreementEvent.Rejected.class::isInstance)
        .map(e -> ((AgreementEvent.Rejected) e).reason()).toList())
        .anyMatch(s -> s.contains("again only after"))
        .anyMatch(s -> s.contains("outside the watermarks"))
        .anyMatch(s -> s.contains("no batch with digest"));
  }

  private static int indexOf(List<ProtocolMessage> ms,
      java.util.function.Predicate<ProtocolMessage> p) {
    for (int i = 0; i < ms.size(); i++) {
      if (p.test(ms.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
