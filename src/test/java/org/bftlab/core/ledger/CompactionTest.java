package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection (OSDI'99 §4.3: "the log entries with sequence numbers less than or equal to
 * n [a stable checkpoint] are discarded"): the events a snapshot retains rebuild the same ledger,
 * and checkpoint traffic below the stable checkpoint is not among them.
 */
class CompactionTest {
  private static final int K = 4;

  @Test
  @DisplayName("§4.3: after garbage collection the retained events rebuild the same ledger")
  void retainedEventsRebuildTheSameState() {
    Cluster c = new Cluster(TestAuth.params(4, K));
    c.commitEverywhere(1, 5 * K + 2);
    Driver d = c.node(1);
    BlockCommitState live = d.state;
    assertThat(live.lastStableCheckpoint()).isEqualTo(5 * K);

    List<BlockCommitEvent> retained = d.core.compact(live, d.journal);
    BlockCommitState rebuilt = d.core.initialState();
    for (BlockCommitEvent e : retained) {
      rebuilt = d.core.apply(rebuilt, e);
    }

    assertThat(rebuilt.height()).isEqualTo(live.height());
    assertThat(rebuilt.headHash()).isEqualTo(live.headHash());
    assertThat(rebuilt.worldRoot()).isEqualTo(live.worldRoot());
    assertThat(rebuilt.lastStableCheckpoint()).isEqualTo(live.lastStableCheckpoint());
    assertThat(rebuilt.lastStableDigest()).isEqualTo(live.lastStableDigest());
    assertThat(rebuilt.stableCheckpointProof()).hasSameSizeAs(live.stableCheckpointProof());
    assertThat(retained).as("checkpoint traffic below the stable checkpoint is dropped")
        .noneMatch(e -> e instanceof BlockCommitEvent.CheckpointAccepted a
            && a.checkpoint().seqNo() < live.lastStableCheckpoint());
    assertThat(retained.size()).isLessThan(d.journal.size());
    assertThat(retained).as("no block in a snapshot: they stay in the block store")
        .noneMatch(e -> e instanceof BlockCommitEvent.BlockCommitted);
    assertThat(retained.get(0)).isInstanceOf(BlockCommitEvent.LedgerCompacted.class);
    assertThat(rebuilt.txRecords()).isEqualTo(live.txRecords());
    assertThat(rebuilt.block(3)).isEqualTo(live.block(3));
    assertThat(d.core.recoveryError(rebuilt)).isEmpty();

    // the rebuilt ledger keeps executing like the live one
    c.commitEverywhere(5 * K + 3);
    BlockCommitState after = d.core.apply(rebuilt, d.journal.get(d.journal.size() - 1));
    assertThat(after.headHash()).isEqualTo(d.state.headHash());
  }
}
