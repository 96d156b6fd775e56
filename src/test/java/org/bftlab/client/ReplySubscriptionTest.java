package org.bftlab.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.bftlab.api.TxStatus;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Reply;
import org.junit.jupiter.api.Test;

/** The f+1 rule on pushed replies: distinct replicas, valid signatures, matching outcome. */
class ReplySubscriptionTest {
  private static final byte[] GOOD = {1, 2, 3};
  private static final ClientId C = new ClientId("client-0");
  private final ReplySubscription sub =
      new ReplySubscription(C, 1, r -> Arrays.equals(r.signature(), GOOD));

  private static TxStatus status(int replica, long height, String result, byte[] sig,
      ClientId client) {
    Reply r = new Reply(0, 1, client, new NodeId(replica), "tx", height, "VALID", result, sig);
    return new TxStatus("tx", height, 0, ValidationCode.VALID, result, r);
  }

  @Test
  void needsFPlusOneDistinctValidlySignedMatchingReplies() {
    CompletableFuture<CommittedTx> out = sub.await("tx");
    sub.vote(status(0, 5, "ok", GOOD, C));
    sub.vote(status(0, 5, "ok", GOOD, C));                      // same replica again
    sub.vote(status(1, 5, "ok", new byte[] {9}, C));            // forged signature
    sub.vote(status(2, 5, "ok", GOOD, new ClientId("client-1")));  // another client's
    sub.vote(status(3, 6, "other", GOOD, C));                   // a different outcome
    assertThat(out).isNotDone();
    sub.vote(status(2, 5, "ok", GOOD, C));
    assertThat(out).isCompleted();
    CommittedTx tx = out.join();
    assertThat(tx.blockHeight()).isEqualTo(5);
    assertThat(tx.confirmedBy()).containsExactly("node-0", "node-2");
    assertThat(tx.dissent()).singleElement().asString().startsWith("node-3");
  }

  @Test
  void repliesPushedBeforeTheAwaitAreKept() {
    sub.vote(status(0, 5, "ok", GOOD, C));
    sub.vote(status(1, 5, "ok", GOOD, C));
    assertThat(sub.await("tx")).isCompletedWithValueMatching(t -> t.confirmedBy().size() == 2);
  }

  /**
   * Callbacks on an outcome never run under the subscription's lock: the bench's clients once
   * deadlocked when a completion (holding this lock) went on to submit the next transaction,
   * whose {@link PushCommitWatcher} asked {@link ReplySubscription#live()} under its own lock
   * while another thread held that one and waited for this.
   */
  @Test
  void outcomesAndClosingCompleteOutsideTheLock() {
    java.util.List<Boolean> heldLock = new java.util.concurrent.CopyOnWriteArrayList<>();
    sub.await("tx").whenComplete((c, e) -> heldLock.add(Thread.holdsLock(sub)));
    sub.vote(status(0, 5, "ok", GOOD, C));
    sub.vote(status(1, 5, "ok", GOOD, C));
    sub.await("other").whenComplete((c, e) -> heldLock.add(Thread.holdsLock(sub)));
    sub.close();
    assertThat(heldLock).as("callbacks ran, for the outcome and for the close")
        .containsExactly(false, false);
  }

  /**
   * A signature is checked only for a reply that can still count: not again for a replica
   * already counted, and not at all once the outcome is decided (issue 9: the client verified
   * all n replies, 4.1 per transaction with n = 4, where f+1 decide). Counts the verifier's calls.
   */
  @Test
  void checksNoSignatureOfAReplyThatCannotCount() {
    java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
    ReplySubscription counting = new ReplySubscription(C, 1, r -> {
      checks.incrementAndGet();
      return Arrays.equals(r.signature(), GOOD);
    });
    CompletableFuture<CommittedTx> out = counting.await("tx");
    counting.vote(status(0, 5, "ok", GOOD, C));
    counting.vote(status(0, 5, "ok", GOOD, C)); // replica 0 counted already: not checked
    assertThat(checks).hasValue(1);
    counting.vote(status(1, 5, "ok", GOOD, C));
    assertThat(out).isCompleted();
    assertThat(checks).hasValue(2);
    counting.vote(status(2, 5, "ok", GOOD, C)); // decided: not checked, not kept
    counting.vote(status(3, 5, "ok", GOOD, C));
    assertThat(checks).hasValue(2);
    CompletableFuture<CommittedTx> again = counting.await("tx");
    assertThat(again).as("late replies started no tally").isNotDone();
    counting.vote(status(2, 5, "ok", GOOD, C)); // awaited again: the replicas' answers count
    counting.vote(status(3, 5, "ok", GOOD, C));
    assertThat(again).isCompleted();
    assertThat(checks).hasValue(4);
  }
}
