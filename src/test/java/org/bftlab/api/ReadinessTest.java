package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;

/** The rule behind {@code GET /ready}: joined and caught up (n = 4, f = 1, K = 16). */
class ReadinessTest {
  static final int F = 1;
  static final int K = 16;
  static final NodeId SELF = new NodeId(0);

  static NodeStatus status(long view, long executed, boolean inViewChange, long pendingView) {
    long stable = executed / K * K;
    return new NodeStatus(SELF, "c", view, new NodeId((int) (view % 4)), executed, executed,
        Digest.ZERO, stable, stable + 32, stable, inViewChange, pendingView);
  }

  static List<Readiness.PeerView> peers(long view, long... stable) {
    List<Readiness.PeerView> out = new ArrayList<>();
    for (int i = 0; i < stable.length; i++) {
      out.add(new Readiness.PeerView(new NodeId(i + 1), view, stable[i]));
    }
    return out;
  }

  @Test
  void aReplicaInStepWithItsPeersIsReady() {
    Readiness r = Readiness.evaluate(F, K, true, "Up", status(0, 100, false, 0),
        peers(0, 96, 96, 96));
    assertThat(r.ready()).isTrue();
    assertThat(r.reasons()).isEmpty();
    assertThat(r.peersStableCheckpoint()).isEqualTo(96);
    assertThat(r.peersView()).isEqualTo(0);
    assertThat(r.peersAnswered()).isEqualTo(3);
  }

  @Test
  void aReplicaMoreThanOneCheckpointIntervalBehindIsNotReadyUntilItCatchesUp() {
    List<Readiness.PeerView> p = peers(0, 96, 96, 96);
    Readiness behind = Readiness.evaluate(F, K, true, "Up", status(0, 79, false, 0), p);
    assertThat(behind.ready()).isFalse();
    assertThat(behind.reasons()).singleElement().asString()
        .contains("catching up").contains("executed seqNo 79").contains("seqNo 96")
        .contains("K = 16");
    // exactly one checkpoint interval behind is caught up
    assertThat(Readiness.evaluate(F, K, true, "Up", status(0, 80, false, 0), p).ready()).isTrue();
  }

  @Test
  void theTargetIsWhatFPlusOnePeersReachedSoOneLyingPeerCannotHoldAReplicaBack() {
    // one peer claims 10_000: f+1 = 2 peers have only reached 96
    Readiness r = Readiness.evaluate(F, K, true, "Up", status(0, 90, false, 0),
        peers(0, 10_000, 96, 48));
    assertThat(r.peersStableCheckpoint()).isEqualTo(96);
    assertThat(r.ready()).isTrue();
  }

  @Test
  void aReplicaInAViewChangeIsNotReadyAndSaysSo() {
    Readiness r = Readiness.evaluate(F, K, true, "Up", status(2, 100, true, 3),
        peers(2, 96, 96, 96));
    assertThat(r.ready()).isFalse();
    assertThat(r.reasons()).singleElement().asString()
        .isEqualTo("view change from view 2 to view 3 in progress");
  }

  @Test
  void aReplicaBehindTheViewOfFPlusOnePeersIsNotReady() {
    Readiness r = Readiness.evaluate(F, K, true, "Up", status(1, 100, false, 1),
        List.of(new Readiness.PeerView(new NodeId(1), 2, 96),
            new Readiness.PeerView(new NodeId(2), 2, 96),
            new Readiness.PeerView(new NodeId(3), 1, 96)));
    assertThat(r.ready()).isFalse();
    assertThat(r.peersView()).isEqualTo(2);
    assertThat(r.reasons()).singleElement().asString()
        .contains("in view 1 but f+1 peers are in view 2");
  }

  @Test
  void withoutFPlusOnePeerAnswersOrBeforeJoiningOrRecoveringItIsNotReady() {
    Readiness r = Readiness.evaluate(F, K, false, "Joining", status(0, 0, false, 0),
        peers(0, 0));
    assertThat(r.ready()).isFalse();
    assertThat(r.reasons()).hasSize(3);
    assertThat(String.join("\n", r.reasons()))
        .contains("journal is not replayed")
        .contains("member status: Joining")
        .contains("only 1 peer(s) answered");
    assertThat(r.peersStableCheckpoint()).isEqualTo(-1);
  }

  @Test
  void readyIsTrueExactlyWhenThereIsNoReason() {
    assertThatThrownBy(() -> new Readiness(true, SELF, 0, 0, 0, 0, K, 3, List.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Readiness(false, SELF, 0, 0, 0, 0, K, 3, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Readiness.evaluate(0, K, true, "Up", status(0, 0, false, 0),
        List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
