package org.bftlab.core.ledger;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.RequestChecks;
import org.bftlab.core.msg.ValidationCode;

/**
 * Validates and executes one ordered request, in this order (after Fabric's validation phase;
 * a faulty primary may order anything, so every replica re-checks):
 *
 * <ol>
 *   <li>{@link RequestChecks#check}: MALFORMED, WRONG_CLUSTER, UNKNOWN_CLIENT or BAD_SIGNATURE;
 *   <li>DUPLICATE_TXID when its {@link Request#txId()} is already in the chain or earlier in the
 *       same block (exactly-once per (client, timestamp), OSDI'99 §4.1);
 *   <li>contract execution: VALID, CONTRACT_REJECTED or MALFORMED.
 * </ol>
 *
 * Changes nothing: the caller stages the writes of a VALID outcome.
 */
public final class TxValidator {
  private final ProtocolParams params;
  private final Authenticator auth;
  private final Contracts contracts;

  public TxValidator(ProtocolParams params, Authenticator auth, Contracts contracts) {
    this.params = Objects.requireNonNull(params, "params");
    this.auth = Objects.requireNonNull(auth, "auth");
    this.contracts = Objects.requireNonNull(contracts, "contracts");
  }

  /**
   * The outcome of {@code request}.
   *
   * @param state the world state as of this transaction
   * @param txIdTaken true for a transaction id already in the chain or earlier in this block
   */
  public Outcome validate(Request request, StateView state,
      Predicate<String> txIdTaken) {
    Optional<RequestChecks.Rejection> rejection = RequestChecks.check(request, params, auth);
    if (rejection.isPresent()) {
      return new Outcome(rejection.get().code(), rejection.get().reason(),
          WriteSet.EMPTY, false);
    }
    if (txIdTaken.test(request.txId())) {
      return new Outcome(ValidationCode.DUPLICATE_TXID, "transaction "
          + request.txId() + " (client " + request.client() + ", timestamp " + request.timestamp()
          + ") is already in the chain", WriteSet.EMPTY, false);
    }
    ContractOutcome out = contracts.execute(state, request.client(), request.contract(),
        request.operation(), request.args());
    return new Outcome(out.code(), out.result(), out.writes(), true);
  }

  /**
   * A validated transaction's outcome.
   *
   * @param code the validation code
   * @param result the contract's result for VALID, otherwise the reason
   * @param writes applied only when VALID
   * @param attributable true when the client's signature verified, so the transaction id is
   *     taken by it (a request that fails the stateless checks does not consume its id: a
   *     forged request cannot block the client's genuine one)
   */
  public record Outcome(ValidationCode code, String result, WriteSet writes,
      boolean attributable) {}
}
