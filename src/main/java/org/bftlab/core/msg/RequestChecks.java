package org.bftlab.core.msg;

import java.util.Optional;
import org.bftlab.core.model.ProtocolParams;

/**
 * The stateless checks every request must pass, in this order: size, names, cluster, client,
 * signature. The gateway runs them before a request is ordered (and answers with an HTTP error);
 * block commit runs them again for every ordered request (a faulty primary may order anything)
 * and flags a failure in the block with the returned code.
 */
public final class RequestChecks {
  /** Longest contract or operation name, in characters. */
  public static final int MAX_NAME_LENGTH = 64;

  private RequestChecks() {}

  /**
   * A failed check.
   *
   * @param code the validation code to flag
   * @param reason a sentence saying what is wrong and why
   */
  public record Rejection(ValidationCode code, String reason) {}

  /**
   * Runs the checks.
   *
   * @return empty when {@code request} passes; otherwise the first failure
   */
  public static Optional<Rejection> check(Request request, ProtocolParams params, Authenticator auth) {
    int size = request.canonicalSize();
    if (size > params.maxRequestBytes()) {
      return reject(ValidationCode.MALFORMED, "request is " + size + " bytes, more than the "
          + params.maxRequestBytes() + "-byte limit");
    }
    if (!validName(request.contract())) {
      return reject(ValidationCode.MALFORMED, "contract name must be 1.." + MAX_NAME_LENGTH
          + " characters of [a-z0-9_-], got '" + request.contract() + "'");
    }
    if (!validName(request.operation())) {
      return reject(ValidationCode.MALFORMED, "operation name must be 1.." + MAX_NAME_LENGTH
          + " characters of [a-z0-9_-], got '" + request.operation() + "'");
    }
    if (!request.clusterId().equals(params.clusterId())) {
      return reject(ValidationCode.WRONG_CLUSTER, "request is for cluster '" + request.clusterId()
          + "', this cluster is '" + params.clusterId() + "'");
    }
    if (!auth.knowsClient(request.client())) {
      return reject(ValidationCode.UNKNOWN_CLIENT, "client '" + request.client()
          + "' is not in the genesis membership");
    }
    if (!request.verify(auth)) {
      return reject(ValidationCode.BAD_SIGNATURE, "signature does not verify under client '"
          + request.client() + "''s registered Ed25519 key");
    }
    return Optional.empty();
  }

  private static boolean validName(String name) {
    return name.length() >= 1 && name.length() <= MAX_NAME_LENGTH && name.matches("[a-z0-9_-]+");
  }

  private static Optional<Rejection> reject(ValidationCode code, String reason) {
    return Optional.of(new Rejection(code, reason));
  }
}
