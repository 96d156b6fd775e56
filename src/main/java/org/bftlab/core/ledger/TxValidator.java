package org.bftlab.core.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.ReadEntry;
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
 *   <li>MVCC_READ_CONFLICT when an entry of its read set ({@link Request#readSet()}) names a
 *       version other than the key's version as of this transaction — the committed state plus
 *       the earlier transactions of the same block (Fabric's MVCC validation, applied
 *       sequentially in block order); a request without a read set skips this step;
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
    Optional<String> conflict = readConflict(request.readSet(), state);
    if (conflict.isPresent()) {
      return new Outcome(ValidationCode.MVCC_READ_CONFLICT, conflict.get(), WriteSet.EMPTY, true);
    }
    ContractOutcome out = contracts.execute(state, request.client(), request.contract(),
        request.operation(), request.args());
    return new Outcome(out.code(), out.result(), out.writes(), true);
  }

  /**
   * The first stale entry of {@code readSet} against {@code state}, as a reason: {@code "read set
   * stale: token/alice read at version 3.0, now 5.1"} ({@code absent} for a key without entry).
   *
   * @return empty when every read version is current (always for an empty read set)
   */
  public static Optional<String> readConflict(List<ReadEntry> readSet, StateView state) {
    for (ReadEntry r : readSet) {
      Optional<Version> now = state.version(r.contract(), r.key());
      boolean same = r.readAbsent() ? now.isEmpty()
          : now.isPresent() && now.get().blockHeight() == r.blockHeight()
              && now.get().txIndex() == r.txIndex();
      if (!same) {
        return Optional.of("read set stale: " + r.contract() + "/" + r.key() + " read at version "
            + (r.readAbsent() ? "absent" : r.blockHeight() + "." + r.txIndex()) + ", now "
            + now.map(v -> v.blockHeight() + "." + v.txIndex()).orElse("absent"));
      }
    }
    return Optional.empty();
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
