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
}
