package org.bftlab.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ValidationCode;
import org.junit.jupiter.api.Test;

/** Every rule of the {@code portability} contract, each violated once with its exact reason. */
class PortabilityContractTest {
  static final ClientId A = new ClientId("telco-a");
  static final ClientId B = new ClientId("telco-b");
  static final ClientId C = new ClientId("telco-c");
  static final String N = "+4915112345678";
  static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  final Contracts contracts = Contracts.builtin();
  final WorldState world = new WorldState();
  long height = 1;

  ContractOutcome call(ClientId caller, String op, String... args) {
    return contracts.execute(world, caller, "portability", op, List.of(args));
  }

  /** Executes and, when VALID, commits (as a block of one would). */
  ContractOutcome commit(ClientId caller, String op, String... args) {
    ContractOutcome out = call(caller, op, args);
    world.apply(out.writes(), new Version(height++, 0));
    return out;
  }

  void rejected(ContractOutcome out, String reason) {
    assertThat(out.code()).isEqualTo(ValidationCode.CONTRACT_REJECTED);
    assertThat(out.result()).isEqualTo(reason);
  }

  @Test
  void aNumberMovesFromAToBAndOnlyItsHashIsOnChain() {
    assertThat(commit(A, "register", N, "telco-a").result()).isEqualTo(N + " held by telco-a");
    assertThat(commit(B, "request-port", N, "telco-b", HASH).result())
        .isEqualTo(N + " port requested from telco-a to telco-b");
    assertThat(world.value("portability", N)).contains("PORT_REQUESTED|telco-a|telco-b|" + HASH);
    assertThat(commit(A, "approve-port", N).valid()).isTrue();
    assertThat(commit(B, "complete-port", N).result()).isEqualTo(N + " held by telco-b");
    assertThat(call(C, "holder", N).result()).isEqualTo("ACTIVE|telco-b||");
    assertThat(world.entries()).extracting(StateEntry::value).allSatisfy(v ->
        assertThat(v).doesNotContain("Alice"));
  }

  @Test
  void eachRuleViolatedOnceWithItsReason() {
    rejected(call(A, "request-port", N, "telco-a", HASH), "number " + N + " is not registered");
    rejected(call(B, "register", N, "telco-a"), "client telco-b is not telco telco-a");
    commit(A, "register", N, "telco-a");
    rejected(call(B, "register", N, "telco-b"), "number " + N + " is held by telco-b".replace(
        "telco-b", "telco-a"));
    rejected(call(C, "request-port", N, "telco-b", HASH), "client telco-c is not telco telco-b");
    rejected(call(A, "request-port", N, "telco-a", HASH), "number " + N
        + " is already held by telco-a");
    rejected(call(A, "approve-port", N), "number " + N + " has no port requested");
    rejected(call(B, "complete-port", N), "number " + N + " has no port requested");
    commit(B, "request-port", N, "telco-b", HASH);
    rejected(call(C, "request-port", N, "telco-c", HASH), "number " + N
        + " has a port in flight to telco-b");
    rejected(call(A, "register", N, "telco-a"), "number " + N + " has a port in flight to telco-b");
    rejected(call(B, "approve-port", N), "only the holder telco-a may approve the port of " + N);
    rejected(call(C, "reject-port", N), "only the holder telco-a may reject the port of " + N);
    rejected(call(C, "complete-port", N), "only the recipient telco-b may complete the port of "
        + N);
    rejected(call(B, "complete-port", N), "the port of " + N
        + " is not approved (state PORT_REQUESTED)");
    assertThat(commit(A, "reject-port", N).result()).isEqualTo(N + " port to telco-b rejected");
    assertThat(world.value("portability", N)).contains("ACTIVE|telco-a||");
    assertThat(commit(A, "register", N, "telco-a").valid()).as("re-registration").isTrue();
  }

  @Test
  void badShapesAreMalformed() {
    assertThat(call(A, "steal", N).code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(A, "register", N).code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(A, "register", "12ab", "telco-a").result())
        .isEqualTo("number must be 3..20 digits with an optional '+', got '12ab'");
    assertThat(call(A, "register", N, "telco|a").code()).isEqualTo(ValidationCode.MALFORMED);
    assertThat(call(B, "request-port", N, "telco-b", "Alice Example, 1970-01-01").result())
        .isEqualTo("customer hash must be a SHA-256 digest in 64 lower-case hex digits (never "
            + "the customer's data), got 25 characters");
  }
}
