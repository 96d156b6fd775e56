package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

/**
 * MVCC validation in {@link BlockBuilder}: a stale read set is MVCC_READ_CONFLICT with its
 * writes discarded, checked sequentially against the block's earlier writes; blind writes keep
 * today's behaviour.
 */
class MvccTest {
  final BlockBuilder builder = new BlockBuilder(TestAuth.params(4, 100), TestAuth.of(0, 4),
      Contracts.builtin());
  final WorldState world = new WorldState();
  long height = 1;
  long t = 1;

  Request tx(String client, List<ReadEntry> reads, String contract, String op, String... args) {
    ClientId c = new ClientId(client);
    return Request.sign(TestAuth.CLUSTER, c, t++, contract, op, List.of(args), reads,
        TestAuth.client(c));
  }

  List<BlockEntry> commit(Request... batch) {
    BlockBuilder.Built b = builder.build(height, Digest.ZERO, List.of(batch), world, id -> false);
    for (int i = 0; i < batch.length; i++) {
      world.apply(b.effects().get(i).writes(), new Version(height, i));
    }
    height++;
    return b.block().entries();
  }

  ReadEntry read(String contract, String key) {
    return world.get(contract, key).map(e -> new ReadEntry(contract, key,
        e.version().blockHeight(), e.version().txIndex()))
        .orElse(ReadEntry.absent(contract, key));
  }

  @Test
  void twoTransfersOfTheSameBalanceInOneBlockOneValidOneConflict() {
    commit(tx("client-0", List.of(), "token", "mint", "client-0", "10"));
    List<ReadEntry> reads = List.of(read("token", "client-0"));
    List<BlockEntry> block = commit(
        tx("client-0", reads, "token", "transfer", "client-0", "client-1", "10"),
        tx("client-0", reads, "token", "transfer", "client-0", "client-2", "10"));
    assertThat(block).extracting(BlockEntry::code)
        .containsExactly(ValidationCode.VALID, ValidationCode.MVCC_READ_CONFLICT);
    assertThat(block.get(1).result()).isEqualTo(
        "read set stale: token/client-0 read at version 1.0, now 2.0");
    assertThat(world.value("token", "client-0")).contains("0");
    assertThat(world.value("token", "client-1")).contains("10");
    assertThat(world.value("token", "client-2")).isEmpty();
  }

  @Test
  void aReadOfAnOlderBlockConflictsAndAbsentReadsConflictWithACreate() {
    commit(tx("client-0", List.of(), "token", "mint", "client-0", "10"));
    List<ReadEntry> stale = List.of(read("token", "client-0"), read("kv", "k"));
    commit(tx("client-0", List.of(), "token", "mint", "client-0", "1"));
    assertThat(commit(tx("client-0", stale, "token", "transfer", "client-0", "client-1", "5")))
        .extracting(BlockEntry::code).containsExactly(ValidationCode.MVCC_READ_CONFLICT);
    List<ReadEntry> absent = List.of(read("kv", "k"));
    List<BlockEntry> b = commit(tx("client-1", absent, "kv", "put", "k", "first"),
        tx("client-2", absent, "kv", "put", "k", "second"));
    assertThat(b).extracting(BlockEntry::code)
        .containsExactly(ValidationCode.VALID, ValidationCode.MVCC_READ_CONFLICT);
    assertThat(b.get(1).result()).isEqualTo("read set stale: kv/k read at version absent, now 4.0");
    assertThat(world.value("kv", "k")).contains("first");
  }

  @Test
  void currentReadsAreValidAndBlindWritesBehaveAsBefore() {
    commit(tx("client-0", List.of(), "token", "mint", "client-0", "10"));
    List<BlockEntry> b = commit(
        tx("client-0", List.of(read("token", "client-0")), "token", "transfer", "client-0",
            "client-1", "4"),
        tx("client-0", List.of(), "token", "transfer", "client-0", "client-2", "4"),
        tx("client-0", List.of(), "token", "transfer", "client-0", "client-3", "4"));
    assertThat(b).extracting(BlockEntry::code).containsExactly(ValidationCode.VALID,
        ValidationCode.VALID, ValidationCode.CONTRACT_REJECTED);
    assertThat(b.get(2).result()).isEqualTo("insufficient funds: client-0 has 2, transfer needs 4");
    assertThat(Map.of("c0", world.value("token", "client-0").orElseThrow()))
        .containsEntry("c0", "2");
  }

  @Test
  void portRacingAReRegistrationIsAConflict() {
    commit(tx("client-0", List.of(), "portability", "register", "5551234", "client-0"));
    List<ReadEntry> seen = List.of(read("portability", "5551234"));
    List<BlockEntry> b = commit(
        tx("client-0", List.of(), "portability", "register", "5551234", "client-0"),
        tx("client-1", seen, "portability", "request-port", "5551234", "client-1",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    assertThat(b).extracting(BlockEntry::code)
        .containsExactly(ValidationCode.VALID, ValidationCode.MVCC_READ_CONFLICT);
    assertThat(b.get(1).result())
        .isEqualTo("read set stale: portability/5551234 read at version 1.0, now 2.0");
  }
}
