package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

class ContractsTest {
  static final ClientId ALICE = new ClientId("client-0");
  static final ClientId BOB = new ClientId("client-1");
  final Contracts contracts = Contracts.builtin();
  final WorldState world = new WorldState();

  ContractOutcome call(ClientId caller, String contract, String op, String... args) {
    return contracts.execute(world, caller, contract, op, List.of(args));
  }

  ContractOutcome commit(ContractOutcome out) {
    world.apply(out.writes(), new Version(1, 0));
    return out;
  }

  @Test
  void kvPutGetDelete() {
    assertThat(commit(call(ALICE, "kv", "put", "colour", "blue")))
        .isEqualTo(ContractOutcome.valid("ok", WriteSet.of(Write.put("kv", "colour", "blue"))));
    assertThat(call(BOB, "kv", "get", "colour")).isEqualTo(ContractOutcome.valid("blue"));
    assertThat(commit(call(BOB, "kv", "delete", "colour")).writes())
        .isEqualTo(WriteSet.of(Write.delete("kv", "colour")));
    assertThat(call(BOB, "kv", "get", "colour"))
        .isEqualTo(ContractOutcome.rejected("no such key: colour"));
    assertThat(call(BOB, "kv", "delete", "colour").code())
        .isEqualTo(ValidationCode.CONTRACT_REJECTED);
  }

  @Test
  void resultsAreCappedAsAValidationFailureNotACrash() {
    String longValue = "v".repeat(Contract.MAX_RESULT_LENGTH + 72);
    assertThat(commit(call(ALICE, "kv", "put", "big", longValue)).valid()).isTrue();
    ContractOutcome get = call(BOB, "kv", "get", "big");
    assertThat(get.code()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(get.result()).isEqualTo("kv.get gives a result of "
        + (Contract.MAX_RESULT_LENGTH + 72) + " characters, more than the "
        + Contract.MAX_RESULT_LENGTH + " a block entry holds");
    assertThat(get.writes()).isEqualTo(WriteSet.EMPTY);
    String atCap = "w".repeat(Contract.MAX_RESULT_LENGTH);
    commit(call(ALICE, "kv", "put", "fits", atCap));
    assertThat(call(BOB, "kv", "get", "fits")).isEqualTo(ContractOutcome.valid(atCap));
    // a failure's reason is cut, keeping its code
    ContractOutcome unknownOp = call(ALICE, "kv", "x".repeat(Contract.MAX_RESULT_LENGTH + 100), "k");
    assertThat(unknownOp.code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(unknownOp.result()).hasSize(Contract.MAX_RESULT_LENGTH).startsWith("kv has no "
        + "operation 'xxx").endsWith("…");
    ContractOutcome unknownContract = call(ALICE, "y".repeat(Contract.MAX_RESULT_LENGTH + 100), "get", "k");
    assertThat(unknownContract.code()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(unknownContract.result()).hasSize(Contract.MAX_RESULT_LENGTH);
  }

  @Test
  void kvWrongShapeIsMalformed() {
    // ValidationCode.MALFORMED: unknown operation, wrong argument count
    assertThat(call(ALICE, "kv", "put", "only-key").code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(ALICE, "kv", "get").code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(ALICE, "kv", "increment", "k").code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(ALICE, "kv", "put", "", "v").code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(ALICE, "kv", "put", "k".repeat(257), "v").code())
        .isEqualTo(ValidationCode.MALFORMED);
  }

  @Test
  void tokenMintTransferBalance() {
    assertThat(commit(call(ALICE, "token", "mint", "client-0", "100")).result()).isEqualTo("100");
    assertThat(commit(call(ALICE, "token", "transfer", "client-0", "client-1", "30")))
        .isEqualTo(ContractOutcome.valid("client-0=70,client-1=30", WriteSet.of(
            Write.put("token", "client-0", "70"), Write.put("token", "client-1", "30"))));
    assertThat(call(BOB, "token", "balance", "client-0").result()).isEqualTo("70");
    assertThat(call(BOB, "token", "balance", "client-1").result()).isEqualTo("30");
    assertThat(call(BOB, "token", "balance", "nobody").result()).isEqualTo("0");
    assertThat(world.value("token", "client-1")).contains("30"); // decimal string under account
  }

  @Test
  void overdraftIsRejectedWithTheRequiredReasonAndNoWrites() {
    commit(call(ALICE, "token", "mint", "client-0", "10"));
    ContractOutcome out = call(ALICE, "token", "transfer", "client-0", "client-1", "11");
    assertThat(out.code()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(out.result()).isEqualTo("insufficient funds: client-0 has 10, transfer needs 11");
    assertThat(out.writes()).isEqualTo(WriteSet.EMPTY);
  }

  @Test
  void transferRequiresOwnershipOfFrom() {
    // an account is owned by the client of the same name or with prefix "<clientId>:"
    commit(call(ALICE, "token", "mint", "client-0:savings", "50"));
    commit(call(ALICE, "token", "mint", "client-0", "50"));
    assertThat(call(ALICE, "token", "transfer", "client-0:savings", "client-1", "5").code())
        .isEqualTo(ValidationCode.VALID);
    ContractOutcome theft = call(BOB, "token", "transfer", "client-0", "client-1", "5");
    assertThat(theft.code()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(theft.result()).contains("does not own");
    // "client-00" is not owned by client-0 (prefix must be "client-0:")
    commit(call(ALICE, "token", "mint", "client-00", "5"));
    assertThat(call(ALICE, "token", "transfer", "client-00", "client-1", "1").code())
        .isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(call(ALICE, "token", "transfer", "client-0", "client-0", "1").code())
        .isEqualTo(ValidationCode.CONTRACT_REJECTED);
  }

  @Test
  void badAmountsAreMalformed() {
    for (String amount : List.of("0", "-5", "1.5", "abc", "", "+3", "007",
        "9223372036854775808", "99999999999999999999")) {
      assertThat(call(ALICE, "token", "mint", "client-0", amount).code())
          .as("amount '%s'", amount).isEqualTo(ValidationCode.MALFORMED);
    }
    assertThat(call(ALICE, "token", "mint", "client-0", "9223372036854775807").code())
        .isEqualTo(ValidationCode.VALID);
    assertThat(call(ALICE, "token", "transfer", "client-0", "client-1").code())
        .isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(ALICE, "token", "burn", "client-0", "1").code())
        .isEqualTo(ValidationCode.MALFORMED);
  }

  @Test
  void mintOverflowIsRejected() {
    commit(call(ALICE, "token", "mint", "client-0", "9223372036854775807"));
    assertThat(call(ALICE, "token", "mint", "client-0", "1").code())
        .isEqualTo(ValidationCode.CONTRACT_REJECTED);
  }

  @Test
  void unknownContractIsRejected() {
    ContractOutcome out = call(ALICE, "casino", "bet", "1");
    assertThat(out.code()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(out.result()).startsWith("unknown contract 'casino'");
  }
}
