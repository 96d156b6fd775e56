package org.bftlab.core.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.agreement.FakeAuth.request;

import java.util.List;
import java.util.stream.IntStream;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareSent;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Adaptive batching (TOCS'02 §5.1, issue 9): the primary proposes when its pipeline of in-flight
 * batches has room or a batch is full; while the pipeline is full the pool grows into the next
 * batch, which goes as soon as a delivery frees a place — without waiting for a tick.
 */
class AdaptiveBatchingTest {

  private static ProtocolParams params(int batchSize, int timeoutTicks, int maxInFlight) {
    return new ProtocolParams(FakeAuth.CLUSTER, NodeId.range(4), batchSize, timeoutTicks, 4, 8,
        5, 64 * 1024, maxInFlight);
  }

  private static List<Integer> batchSizes(Cluster c) {
    return c.events(0, PrePrepareSent.class).stream().map(e -> e.pp().batch().size()).toList();
  }

  @Test
  @DisplayName("a lone request is proposed at once while the pipeline has room")
  void loneRequestGoesAtOnce() {
    Cluster c = new Cluster(params(64, 0, 4));
    c.submit(0, request(0, 1));
    assertThat(batchSizes(c)).containsExactly(1);
    c.run();
    assertThat(c.deliveredSeqNos(3)).containsExactly(1L);
  }

  @Test
  @DisplayName("while the pipeline is full the batch grows; a delivery proposes it, no tick")
  void fullPipelineGrowsTheNextBatch() {
    Cluster c = new Cluster(params(64, 0, 1));
    c.submit(0, request(0, 0));
    for (int t = 1; t < 10; t++) {
      c.submit(0, request(t % 3, t)); // pipeline (depth 1) full: queued, not proposed
    }
    assertThat(batchSizes(c)).containsExactly(1);
    c.run(); // seqNo 1 commits; its delivery proposes the nine waiting requests as seqNo 2
    assertThat(batchSizes(c)).containsExactly(1, 9);
    for (int i = 0; i < 4; i++) {
      assertThat(c.deliveredSeqNos(i)).containsExactly(1L, 2L);
    }
    List<Request> executed = c.delivered.get(2).stream().flatMap(bc -> bc.batch().stream())
        .toList();
    assertThat(executed).containsExactlyElementsOf(
        IntStream.range(0, 10).mapToObj(t -> request(t % 3, t)).toList());
  }

  @Test
  @DisplayName("a partial batch waits batchTimeoutTicks for company; a full one goes at once")
  void timeoutHoldsAPartialBatchWhileTheFullOneGoes() {
    Cluster c = new Cluster(params(3, 2, 4));
    for (int t = 0; t < 4; t++) {
      c.submit(0, request(t % 3, t));
    }
    assertThat(batchSizes(c)).containsExactly(3);
    c.tick(1);
    assertThat(batchSizes(c)).containsExactly(3);
    c.tick(1);
    assertThat(batchSizes(c)).containsExactly(3, 1);
  }

  @Test
  void batcherProposesNothingWithoutRoomAndAtMostRoomBatches() {
    List<Batcher.Queued> pool = IntStream.range(0, 7)
        .mapToObj(t -> new Batcher.Queued(request(0, t), 0)).toList();
    assertThat(Batcher.batches(pool, 3, 0, 0, 0)).isEmpty();
    assertThat(Batcher.batches(pool, 3, 0, 0, 2)).extracting(List::size).containsExactly(3, 3);
    assertThat(Batcher.batches(pool, 3, 0, 0, 5)).extracting(List::size)
        .containsExactly(3, 3, 1);
    assertThat(Batcher.batches(pool, 3, 5, 4, 5)).extracting(List::size).containsExactly(3, 3);
    assertThat(Batcher.batches(pool, 3, 5, 5, 5)).extracting(List::size)
        .containsExactly(3, 3, 1);
  }
}
