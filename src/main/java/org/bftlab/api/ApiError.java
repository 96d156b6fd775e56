package org.bftlab.api;

import org.bftlab.core.msg.RequestChecks;

/**
 * An error response: HTTP status plus {@link ErrorBody}. The codes and their statuses:
 *
 * <table>
 *   <caption>error codes</caption>
 *   <tr><th>code</th><th>status</th><th>when</th></tr>
 *   <tr><td>MALFORMED</td><td>400</td><td>unparseable body, missing/unknown/mistyped field,
 *       bad name, bad path parameter</td></tr>
 *   <tr><td>WRONG_CLUSTER</td><td>400</td><td>request addressed to another cluster</td></tr>
 *   <tr><td>BAD_SIGNATURE</td><td>401</td><td>client signature does not verify</td></tr>
 *   <tr><td>UNKNOWN_CLIENT</td><td>403</td><td>client not in the genesis membership</td></tr>
 *   <tr><td>NOT_FOUND</td><td>404</td><td>no such transaction, block, state entry or route</td></tr>
 *   <tr><td>NOT_YET_COVERED</td><td>409</td><td>a receipt asked for a transaction committed
 *       above the last certified checkpoint (with {@code Retry-After})</td></tr>
 *   <tr><td>METHOD_NOT_ALLOWED</td><td>405</td><td>route exists for another method</td></tr>
 *   <tr><td>DUPLICATE_TXID</td><td>409</td><td>another request with the same (client, timestamp)
 *       is in the chain</td></tr>
 *   <tr><td>TOO_LARGE</td><td>413</td><td>body or request canonical size over the limit</td></tr>
 *   <tr><td>UNAUTHENTICATED</td><td>401</td><td>admin route without a well-formed signed
 *       request ({@link AdminAuth})</td></tr>
 *   <tr><td>STALE</td><td>401</td><td>admin request timestamp outside the window</td></tr>
 *   <tr><td>REPLAYED</td><td>401</td><td>admin request already received</td></tr>
 *   <tr><td>NOT_ADMIN</td><td>403</td><td>admin route called by a client, replica or
 *       unknown id</td></tr>
 *   <tr><td>URI_TOO_LONG</td><td>414</td><td>request target over the server's limit</td></tr>
 *   <tr><td>TOO_MANY_REQUESTS</td><td>429</td><td>this connection's request rate is over the
 *       limit (with {@code Retry-After})</td></tr>
 *   <tr><td>HEADERS_TOO_LARGE</td><td>431</td><td>a header, or all of them, over the server's
 *       limits, or too many headers</td></tr>
 *   <tr><td>INTERNAL</td><td>500</td><td>unexpected failure</td></tr>
 *   <tr><td>UNAVAILABLE</td><td>503</td><td>the node did not answer in time, or its request
 *       pool is full (with {@code Retry-After})</td></tr>
 * </table>
 *
 * @param status HTTP status code
 * @param error the error code
 * @param message what is wrong and why
 */
public record ApiError(int status, String error, String message) {
  public static final String MALFORMED = "MALFORMED";
  public static final String TOO_LARGE = "TOO_LARGE";
  public static final String WRONG_CLUSTER = "WRONG_CLUSTER";
  public static final String UNKNOWN_CLIENT = "UNKNOWN_CLIENT";
  public static final String BAD_SIGNATURE = "BAD_SIGNATURE";
  public static final String DUPLICATE_TXID = "DUPLICATE_TXID";
  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String NOT_YET_COVERED = "NOT_YET_COVERED";
  public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  public static final String UNAVAILABLE = "UNAVAILABLE";
  public static final String INTERNAL = "INTERNAL";
  public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
  public static final String NOT_ADMIN = "NOT_ADMIN";
  public static final String STALE = "STALE";
  public static final String REPLAYED = "REPLAYED";
  public static final String URI_TOO_LONG = "URI_TOO_LONG";
  public static final String TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS";
  public static final String HEADERS_TOO_LARGE = "HEADERS_TOO_LARGE";

  /** The JSON body. */
  public ErrorBody body() {
    return new ErrorBody(error, message);
  }

  public static ApiError malformed(String message) {
    return new ApiError(400, MALFORMED, message);
  }

  public static ApiError tooLarge(String message) {
    return new ApiError(413, TOO_LARGE, message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, NOT_FOUND, message);
  }

  public static ApiError duplicate(String message) {
    return new ApiError(409, DUPLICATE_TXID, message);
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, UNAVAILABLE, message);
  }

  public static ApiError internal(String message) {
    return new ApiError(500, INTERNAL, message);
  }

  /**
   * The response for a failed gateway check: MALFORMED and WRONG_CLUSTER → 400,
   * BAD_SIGNATURE → 401, UNKNOWN_CLIENT → 403; any other code → 400 under its own name.
   */
  public static ApiError of(RequestChecks.Rejection rejection) {
    int status = switch (rejection.code()) {
      case BAD_SIGNATURE -> 401;
      case UNKNOWN_CLIENT -> 403;
      default -> 400;
    };
    return new ApiError(status, rejection.code().name(), rejection.reason());
  }
}
