package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.ledger.TestAuth.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bftlab.codec.Json;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.BlockCommitEvent.CheckpointTaken;
import org.bftlab.core.msg.StateResponse;
import org.junit.jupiter.api.Test;

/** The persisted events are plain records that Jackson round-trips (journal format, §3). */
class EventJsonTest {
  final ObjectMapper mapper = Json.mapper();

  @Test
  void blockCommittedAndCheckpointTakenRoundTrip() throws Exception {
    Driver node = new Driver(TestAuth.params(4, 1), 0);
    var d = node.commit(1, request("client-0", 1, "token", "mint", "client-0", "5"),
        request("client-0", 1, "kv", "put", "dup", "x"));
    BlockCommitted bc = (BlockCommitted) d.events().get(0);
    BlockCommitted back = mapper.readValue(mapper.writeValueAsBytes(bc), BlockCommitted.class);
    assertThat(back).isEqualTo(bc);
    assertThat(back.block().hash()).isEqualTo(bc.block().hash());
    CheckpointTaken ct = (CheckpointTaken) d.events().get(1);
    CheckpointTaken ctBack = mapper.readValue(mapper.writeValueAsBytes(ct), CheckpointTaken.class);
    assertThat(ctBack.own().signature()).isEqualTo(ct.own().signature());
    assertThat(ctBack.own().digest()).isEqualTo(ct.own().digest());
  }

  @Test
  void stateTransferredAndStateResponseRoundTrip() throws Exception {
    Cluster cluster = new Cluster(TestAuth.params(4, 2));
    cluster.down.add(3);
    cluster.commitEverywhere(1, 4);
    cluster.down.remove(3);
    cluster.commitEverywhere(5, 6);
    var st = (BlockCommitEvent.StateTransferred) cluster.node(3).journal.stream()
        .filter(e -> e instanceof BlockCommitEvent.StateTransferred).findFirst().orElseThrow();
    var stBack = mapper.readValue(mapper.writeValueAsBytes(st),
        BlockCommitEvent.StateTransferred.class);
    assertThat(stBack.toString()).isEqualTo(st.toString());
    assertThat(stBack.proof()).allMatch(c -> c.verify(TestAuth.CLUSTER, TestAuth.of(3, 4)));
    var resp = cluster.sentOf(StateResponse.class, -1, 3).get(0);
    var back = mapper.readValue(mapper.writeValueAsBytes(resp),
        StateResponse.class);
    assertThat(back.blocks()).isEqualTo(resp.blocks());
    assertThat(back.verify(TestAuth.CLUSTER, TestAuth.of(3, 4))).isTrue();
  }
}
