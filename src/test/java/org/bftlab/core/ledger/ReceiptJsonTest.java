package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.bftlab.client.ReceiptFiles;
import org.bftlab.codec.Json;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;

/**
 * A receipt survives its JSON form (the HTTP answer and the CLI's file) and still verifies; a
 * truncated file is refused with the reason; the snapshot summary event round-trips too.
 */
class ReceiptJsonTest {
  @Test
  void receiptAndSummaryRoundTrip() throws Exception {
    Cluster c = new Cluster(TestAuth.params(4, 4));
    c.commitEverywhere(1, 9);
    Driver d = c.node(2);
    String txId = d.state.txRecords().get(3).txId();
    Receipt r = ((Receipt.Found) Receipt.of(TestAuth.CLUSTER, d.state, txId)).receipt();
    String json = ReceiptFiles.toJson(r);
    Receipt back = ReceiptFiles.parse(json);
    // a Request memoises its hashes in transient fields, filled or not depending on what ran
    // first: compare requests by their equals (the digest over signed bytes and signature)
    assertThat(back).usingRecursiveComparison()
        .withEqualsForType(org.bftlab.core.msg.Request::equals, org.bftlab.core.msg.Request.class)
        .isEqualTo(r);
    ReceiptVerifier v = new ReceiptVerifier(TestAuth.CLUSTER, NodeId.range(4), TestAuth.of(0, 4));
    assertThat(v.check(back)).isEmpty();
    assertThatThrownBy(() -> ReceiptFiles.parse(json.substring(0, json.length() / 2)))
        .isInstanceOf(IOException.class).hasMessageContaining("not a receipt");

    BlockCommitEvent summary = d.core.compact(d.state, d.journal).get(0);
    var mapper = Json.mapper();
    BlockCommitEvent again = mapper.readValue(mapper.writeValueAsBytes(summary),
        BlockCommitEvent.class);
    assertThat(again).isEqualTo(summary);
  }
}
