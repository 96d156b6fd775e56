package org.bftlab.core.ledger;

import org.bftlab.core.msg.MerkleTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.core.ledger.TestAuth.request;

import java.util.List;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Output;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.BlockCommitEvent.ViewNoted;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.TxRecord;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

class BlockCommitCoreTest {
  // K = 100: no checkpoints in these tests (see CheckpointTest)
  final ProtocolParams params = TestAuth.params(4, 100);
  final Driver node = new Driver(params, 0);

  private static List<ValidationCode> codes(Block b) {
    return b.entries().stream().map(BlockEntry::code).toList();
  }

  private String balance(String account) {
    return node.state.stateEntry("token", account).map(StateEntry::value).orElse("0");
  }

  @Test
  void blocksFormAHashChain() {
    // Fabric ledger: each block header holds the hash of the previous block header;
    // bftlab: block height = seqNo, block 1 links to ZERO
    Block b1 = node.next(request("client-0", 1, "kv", "put", "a", "1"));
    Block b2 = node.next();
    Block b3 = node.next(request("client-1", 1, "kv", "put", "b", "2"),
        request("client-2", 1, "kv", "get", "a"));
    assertThat(b1.height()).isEqualTo(1);
    assertThat(b1.header().previousHash()).isEqualTo(Digest.ZERO);
    assertThat(b2.header().previousHash()).isEqualTo(b1.hash());
    assertThat(b3.header().previousHash()).isEqualTo(b2.hash());
    assertThat(b2.entries()).isEmpty(); // a null request gives an empty block
    assertThat(b2.header().merkleRoot()).isEqualTo(Digest.ZERO);
    assertThat(node.state.height()).isEqualTo(3);
    assertThat(node.state.headHash()).isEqualTo(b3.hash());
    assertThat(node.state.block(2)).contains(b2);
    assertThat(node.state.block(4)).isEmpty();
    for (Block b : List.of(b1, b2, b3)) {
      assertThat(BlockBuilder.selfConsistent(b)).isTrue();
    }
  }

  @Test
  void merkleRootIsOverRequestDigestsAndGivesReceipts() {
    // Microsoft CCF receipts: a transaction's inclusion proof against the block's Merkle root
    Request r0 = request("client-0", 1, "kv", "put", "a", "1");
    Request r1 = request("client-1", 1, "kv", "put", "b", "1");
    Request r2 = request("client-2", 1, "kv", "put", "c", "1");
    Block b = node.next(r0, r1, r2);
    assertThat(b.header().merkleRoot())
        .isEqualTo(MerkleTree.rootOf(List.of(r0.digest(), r1.digest(), r2.digest())));
    MerkleTree tree = BlockBuilder.merkleTree(b);
    assertThat(MerkleTree.verify(r2.digest(), 2, b.header().txCount(), tree.inclusionProof(2),
        b.header().merkleRoot())).isTrue();
    assertThat(b.header().resultsDigest()).isEqualTo(BlockBuilder.resultsDigest(b.entries()));
  }

  @Test
  void twoIndependentReplicasBuildByteIdenticalBlocks() {
    // DESIGN.md §2: every correct node builds byte-identical blocks (same height, same hash)
    Driver other = new Driver(params, 3);
    List<List<Request>> batches = List.of(
        List.of(request("client-0", 1, "token", "mint", "client-0", "100"),
            request("client-1", 1, "kv", "put", "x", "y")),
        List.of(request("client-0", 2, "token", "transfer", "client-0", "client-1", "60"),
            request("client-0", 3, "token", "transfer", "client-0", "client-2", "60"),
            request("client-0", 1, "kv", "put", "replay", "z")),
        List.of());
    long seq = 1;
    for (List<Request> batch : batches) {
      node.commit(0, seq, batch);
      other.commit(1, seq, batch); // even committed in another view
      seq++;
    }
    for (long h = 1; h <= 3; h++) {
      Block a = node.state.block(h).orElseThrow();
      Block b = other.state.block(h).orElseThrow();
      assertThat(b).isEqualTo(a);
      assertThat(b.hash()).isEqualTo(a.hash());
    }
    assertThat(other.state.worldRoot()).isEqualTo(node.state.worldRoot());
  }

  @Test
  void mintTransferAndOverdraftLeavesBalancesUnchanged() {
    // Fabric: an invalid transaction stays in its block, flagged, and changes no state
    node.next(request("client-0", 1, "token", "mint", "client-0", "100"));
    Block b = node.next(request("client-0", 2, "token", "transfer", "client-0", "client-1", "40"));
    assertThat(codes(b)).containsExactly(ValidationCode.VALID);
    assertThat(balance("client-0")).isEqualTo("60");
    assertThat(balance("client-1")).isEqualTo("40");
    Digest rootBefore = node.state.worldRoot();

    Block over = node.next(
        request("client-0", 3, "token", "transfer", "client-0", "client-1", "61"));
    assertThat(codes(over)).containsExactly(ValidationCode.CONTRACT_REJECTED);
    assertThat(over.entries().get(0).result())
        .isEqualTo("insufficient funds: client-0 has 60, transfer needs 61");
    assertThat(balance("client-0")).isEqualTo("60");
    assertThat(balance("client-1")).isEqualTo("40");
    assertThat(node.state.worldRoot()).isEqualTo(rootBefore);
    assertThat(node.state.tx(over.entries().get(0).transaction().txId()).orElseThrow().code())
        .isEqualTo(ValidationCode.CONTRACT_REJECTED);
  }

  @Test
  void doubleSpendWithinOneBlockIsRejected() {
    // sequential execution: the second transfer sees the first one's write and overdraws
    node.next(request("client-0", 1, "token", "mint", "client-0", "10"));
    Block b = node.next(
        request("client-0", 2, "token", "transfer", "client-0", "client-1", "8"),
        request("client-0", 3, "token", "transfer", "client-0", "client-2", "8"));
    assertThat(codes(b)).containsExactly(ValidationCode.VALID, ValidationCode.CONTRACT_REJECTED);
    assertThat(b.entries().get(1).result())
        .isEqualTo("insufficient funds: client-0 has 2, transfer needs 8");
    assertThat(balance("client-0")).isEqualTo("2");
    assertThat(balance("client-1")).isEqualTo("8");
    assertThat(balance("client-2")).isEqualTo("0");
  }

  @Test
  void laterTransactionsSeeEarlierWritesOfTheSameBlock() {
    Block b = node.next(request("client-0", 1, "kv", "put", "k", "v1"),
        request("client-1", 1, "kv", "get", "k"),
        request("client-1", 2, "kv", "delete", "k"),
        request("client-2", 1, "kv", "get", "k"));
    assertThat(codes(b)).containsExactly(ValidationCode.VALID, ValidationCode.VALID,
        ValidationCode.VALID, ValidationCode.CONTRACT_REJECTED);
    assertThat(b.entries().get(1).result()).isEqualTo("v1");
    assertThat(b.entries().get(3).result()).isEqualTo("no such key: k");
    assertThat(node.state.stateEntry("kv", "k")).isEmpty();
  }

  @Test
  void kvPutGetDeleteAcrossBlocksWithVersions() {
    node.next(request("client-0", 1, "kv", "put", "colour", "blue"));
    node.next(request("client-1", 1, "kv", "get", "x"),
        request("client-1", 2, "kv", "put", "colour", "red"));
    assertThat(node.state.stateEntry("kv", "colour"))
        .contains(new StateEntry("kv", "colour", "red", new Version(2, 1)));
    Block b3 = node.next(request("client-2", 1, "kv", "get", "colour"));
    assertThat(b3.entries().get(0).result()).isEqualTo("red");
    node.next(request("client-2", 2, "kv", "delete", "colour"));
    assertThat(node.state.stateEntry("kv", "colour")).isEmpty();
  }

  @Test
  void replayedClientTimestampIsDuplicateTxidWithinABlock() {
    // OSDI'99 §4.1 exactly-once per (client, timestamp); Fabric's DUPLICATE_TXID
    Request first = request("client-0", 7, "token", "mint", "client-0", "5");
    Request replayWithOtherPayload = request("client-0", 7, "token", "mint", "client-0", "500");
    Block b = node.next(first, first, replayWithOtherPayload);
    assertThat(codes(b)).containsExactly(ValidationCode.VALID, ValidationCode.DUPLICATE_TXID,
        ValidationCode.DUPLICATE_TXID);
    assertThat(balance("client-0")).isEqualTo("5");
    assertThat(node.state.tx(first.txId()).orElseThrow().txIndex()).isZero();
  }

  @Test
  void replayedClientTimestampIsDuplicateTxidAcrossBlocks() {
    Request first = request("client-0", 7, "token", "mint", "client-0", "5");
    node.next(first);
    Digest root = node.state.worldRoot();
    Block b2 = node.next(first);
    Block b3 = node.next(request("client-0", 7, "kv", "put", "a", "b"));
    assertThat(codes(b2)).containsExactly(ValidationCode.DUPLICATE_TXID);
    assertThat(codes(b3)).containsExactly(ValidationCode.DUPLICATE_TXID);
    assertThat(node.state.worldRoot()).isEqualTo(root);
    TxRecord rec = node.state.tx(first.txId()).orElseThrow();
    assertThat(rec.blockHeight()).isEqualTo(1); // the index keeps pointing at the original
    assertThat(rec.code()).isEqualTo(ValidationCode.VALID);
  }

  @Test
  void badSignatureIsFlaggedChangesNothingAndDoesNotTakeTheTxid() {
    // RequestChecks: signature must verify under the client's key → BAD_SIGNATURE
    Request genuine = request("client-0", 1, "token", "mint", "client-0", "100");
    Request forged = request("client-0", 1, "token", "mint", "client-0", "999")
        .withSignature(TestAuth.forged(genuine.signature()));
    Block b1 = node.next(forged);
    assertThat(codes(b1)).containsExactly(ValidationCode.BAD_SIGNATURE);
    assertThat(b1.entries().get(0).result()).contains("signature does not verify");
    assertThat(node.state.stateEntry("token", "client-0")).isEmpty();
    assertThat(node.state.worldRoot()).isEqualTo(Digest.ZERO);
    assertThat(node.state.tx(forged.txId())).isEmpty();
    // the client's genuine request with the same (client, timestamp) still executes
    Block b2 = node.next(genuine);
    assertThat(codes(b2)).containsExactly(ValidationCode.VALID);
    assertThat(balance("client-0")).isEqualTo("100");
  }

  @Test
  void unknownClientAndWrongClusterAreFlagged() {
    ClientId stranger = new ClientId("client-9");
    Request unknown = Request.sign(TestAuth.CLUSTER, stranger, 1, "kv", "put",
        List.of("a", "b"), TestAuth.client(stranger));
    ClientId c0 = new ClientId("client-0");
    Request elsewhere = Request.sign("other-cluster", c0, 1, "kv", "put", List.of("a", "b"),
        TestAuth.client(c0));
    Request badName = request("client-0", 2, "KV!", "put", "a", "b");
    Block b = node.next(unknown, elsewhere, badName);
    assertThat(codes(b)).containsExactly(ValidationCode.UNKNOWN_CLIENT,
        ValidationCode.WRONG_CLUSTER, ValidationCode.MALFORMED);
    assertThat(node.state.stateEntry("kv", "a")).isEmpty();
  }

  @Test
  void contractMalformedAndUnknownContractAreIndexed() {
    Request malformed = request("client-0", 1, "kv", "put", "only-key");
    Request unknown = request("client-0", 2, "casino", "bet", "1");
    Block b = node.next(malformed, unknown);
    assertThat(codes(b)).containsExactly(ValidationCode.MALFORMED,
        ValidationCode.CONTRACT_REJECTED);
    assertThat(node.state.tx(malformed.txId()).orElseThrow().code())
        .isEqualTo(ValidationCode.MALFORMED);
    assertThat(node.state.tx(unknown.txId()).orElseThrow().result())
        .startsWith("unknown contract 'casino'");
  }

  @Test
  void redeliveryOfAnExecutedSeqNoAndGapsAreIgnored() {
    // Signal.BatchCommitted: a batch may be delivered again after a restart; nothing changes
    // here, and election still hears of it (it may have journaled less than block commit)
    node.next(request("client-0", 1, "kv", "put", "a", "1"));
    Digest head = node.state.headHash();
    Request second = request("client-0", 2, "kv", "put", "a", "2");
    Decision<BlockCommitEvent> again = node.commit(1, second);
    assertThat(again.events()).isEmpty();
    assertThat(again.outputs()).containsExactly(new Output.ToSibling(
        new Signal.BatchExecuted(0, 1, List.of(second.txId()))));
    Decision<BlockCommitEvent> gap = node.commit(3, request("client-0", 3, "kv", "put", "a", "3"));
    assertThat(gap.events()).isEmpty();
    assertThat(gap.outputs()).singleElement().isInstanceOf(Output.ToSibling.class);
    assertThat(node.state.headHash()).isEqualTo(head);
    assertThat(node.state.height()).isEqualTo(1);
  }

  @Test
  void blockCommittedEventCarriesViewBlockAndEffects() {
    Decision<BlockCommitEvent> d = node.commit(2, 1,
        List.of(request("client-0", 1, "kv", "put", "a", "1")));
    assertThat(d.events()).hasSize(1);
    BlockCommitted bc = (BlockCommitted) d.events().get(0);
    assertThat(bc.view()).isEqualTo(2);
    assertThat(bc.effects()).containsExactly(
        new TxEffect(true, WriteSet.of(Write.put("kv", "a", "1"))));
    // the executed transaction, whose REPLY the shell signs once; then election is told
    assertThat(d.outputs()).hasSize(2);
    assertThat(d.outputs().get(1)).isEqualTo(new Output.ToSibling(new Signal.BatchExecuted(2, 1,
        List.of(bc.block().entries().get(0).transaction().txId()))));
    assertThat(d.outputs().get(0)).isInstanceOfSatisfying(Output.Executed.class, e -> {
      assertThat(e.view()).isEqualTo(2);
      assertThat(e.height()).isEqualTo(1);
      assertThat(e.headHash()).isEqualTo(bc.block().hash());
      assertThat(e.executed()).singleElement().satisfies(r -> {
        assertThat(r.txId()).isEqualTo(bc.block().entries().get(0).transaction().txId());
        assertThat(r.txIndex()).isZero();
        assertThat(r.code()).isEqualTo(ValidationCode.VALID);
      });
    });
  }

  @Test
  void rebuildingFromPersistedEventsGivesTheSameState() {
    // DESIGN.md §1: apply is the only transition; replaying the journal never re-executes
    node.next(request("client-0", 1, "token", "mint", "client-0", "10"));
    node.next(request("client-0", 2, "token", "transfer", "client-0", "client-1", "4"),
        request("client-0", 2, "kv", "put", "dup", "x"));
    node.step(new Input.FromSibling(new Signal.ViewInstalled(3, new NodeId(3))));
    node.next(request("client-1", 1, "kv", "put", "k", "v"));
    BlockCommitState rebuilt = node.replay();
    assertThat(rebuilt.headHash()).isEqualTo(node.state.headHash());
    assertThat(rebuilt.height()).isEqualTo(3);
    assertThat(rebuilt.worldRoot()).isEqualTo(node.state.worldRoot());
    assertThat(rebuilt.view()).isEqualTo(3);
    Request dup = request("client-0", 2, "kv", "put", "dup", "x");
    assertThat(rebuilt.tx(dup.txId())).isEqualTo(node.state.tx(dup.txId()));
    for (long h = 1; h <= 3; h++) {
      assertThat(rebuilt.block(h)).isEqualTo(node.state.block(h));
    }
  }

  @Test
  void replyCarriesViewTimestampClientReplicaAndResultAndVerifies() {
    // OSDI'99 §4.1: REPLY ⟨v, t, c, i, r⟩ signed by replica i
    Request r = request("client-1", 42, "kv", "put", "a", "1");
    node.next(r);
    Decision<BlockCommitEvent> d =
        node.step(new Input.FromSibling(new Signal.ViewInstalled(5, new NodeId(1))));
    assertThat(d.events()).containsExactly(new ViewNoted(5));
    assertThat(node.step(new Input.FromSibling(new Signal.ViewInstalled(4, new NodeId(0))))
        .isEmpty()).isTrue();
    Reply reply = node.core.replyFor(node.state, r.txId()).orElseThrow();
    assertThat(reply.view()).isEqualTo(5);
    assertThat(reply.timestamp()).isEqualTo(42);
    assertThat(reply.client()).isEqualTo(new ClientId("client-1"));
    assertThat(reply.replica()).isEqualTo(new NodeId(0));
    assertThat(reply.blockHeight()).isEqualTo(1);
    assertThat(reply.validationCode()).isEqualTo("VALID");
    assertThat(reply.result()).isEqualTo("ok");
    assertThat(reply.verify(TestAuth.CLUSTER, TestAuth.of(2, 4))).isTrue();
    assertThat(node.core.replyFor(node.state, "no-such-tx")).isEmpty();
  }
}
