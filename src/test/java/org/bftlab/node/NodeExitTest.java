package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/** Only a requested shutdown ends a node with exit code 0; every other end is non-zero. */
class NodeExitTest {
  private static NodeExit decide(boolean requested, String failure,
      CoordinatedShutdown.Reason reason) {
    return NodeExit.decide(requested, Optional.ofNullable(failure), Optional.ofNullable(reason));
  }

  @Test
  void aRequestedShutdownExitsZero() {
    assertThat(decide(true, null, CoordinatedShutdown.actorSystemTerminateReason()).code())
        .isEqualTo(NodeExit.REQUESTED);
    assertThat(decide(true, null, null).requested()).isTrue();
    // Pekko's own JVM shutdown hook (SIGTERM, Ctrl-C) may run before ours sets the flag
    assertThat(decide(false, null, CoordinatedShutdown.jvmExitReason()).code())
        .isEqualTo(NodeExit.REQUESTED);
  }

  @Test
  void aReplicaDownedOrRemovedByPekkoClusterExitsNonZeroAndSaysSo() {
    NodeExit downed = decide(false, null, CoordinatedShutdown.clusterDowningReason());
    assertThat(downed.code()).isEqualTo(NodeExit.STOPPED_ON_ITS_OWN).isNotZero();
    assertThat(downed.reason()).contains("downed");
    NodeExit left = decide(false, null, CoordinatedShutdown.clusterLeavingReason());
    assertThat(left.code()).isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
    assertThat(left.reason()).contains("leave");
    assertThat(decide(false, null, CoordinatedShutdown.clusterJoinUnsuccessfulReason()).code())
        .isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
    assertThat(decide(false, null, CoordinatedShutdown.incompatibleConfigurationDetectedReason())
        .code()).isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
  }

  @Test
  void aComponentFailureOrQuarantineExitsNonZeroWithItsReason() {
    NodeExit e = decide(false, "node-1: component agreement stopped for good",
        CoordinatedShutdown.actorSystemTerminateReason());
    assertThat(e.code()).isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
    assertThat(e.reason()).isEqualTo("node-1: component agreement stopped for good");
    // a failure recorded before a shutdown request still counts: the node had already stopped
    assertThat(decide(true, "quarantined by pekko://bftlab@127.0.0.1:1", null).code())
        .isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
  }

  @Test
  void anActorSystemThatEndsWithoutAnyRequestExitsNonZero() {
    // e.g. Artery's "failed and restarted N times … Terminating system", or the guardian stopping
    assertThat(decide(false, null, CoordinatedShutdown.actorSystemTerminateReason()).code())
        .isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
    assertThat(decide(false, null, CoordinatedShutdown.unknownReason()).code())
        .isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
    assertThat(decide(false, null, null).code()).isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
  }
}
