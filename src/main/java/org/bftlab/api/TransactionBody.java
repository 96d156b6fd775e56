package org.bftlab.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Base64;
import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;

/**
 * The JSON body of {@code POST /transactions}: a client-signed REQUEST with plain fields.
 *
 * <pre>{"clusterId":"bftlab-local","client":"client-0","timestamp":1,"contract":"token",
 *  "operation":"transfer","args":["client-0","client-1","5"],"signature":"&lt;base64&gt;"}</pre>
 *
 * @param clusterId cluster the request is for
 * @param client client id from the genesis file
 * @param timestamp client timestamp t (>= 0, unique per client)
 * @param contract e.g. {@code token}, {@code kv}
 * @param operation e.g. {@code transfer}
 * @param args arguments as strings
 * @param readSet the read set, {@code [{"contract":"token","key":"client-0","blockHeight":3,
 *     "txIndex":0}, …]} ({@link ReadEntry}; height 0 for a key read as absent); optional, absent
 *     or null for none
 * @param signature base64 (RFC 4648 §4) of the client's Ed25519 signature over the request's
 *     canonical bytes ({@link Request#signedBytes()})
 */
public record TransactionBody(String clusterId, String client, long timestamp, String contract,
    String operation, List<String> args,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonSetter(nulls = Nulls.AS_EMPTY)
    List<ReadEntry> readSet, String signature) {

  /** The body of {@code request}. */
  public static TransactionBody of(Request request) {
    return new TransactionBody(request.clusterId(), request.client().value(), request.timestamp(),
        request.contract(), request.operation(), request.args(),
        request.readSet(), Base64.getEncoder().encodeToString(request.signature()));
  }

  /**
   * The request this body describes.
   *
   * @throws IllegalArgumentException naming the first missing or invalid field
   */
  public Request toRequest() {
    require(clusterId, "clusterId");
    require(client, "client");
    require(contract, "contract");
    require(operation, "operation");
    require(args, "args");
    require(signature, "signature");
    if (args.stream().anyMatch(a -> a == null)) {
      throw new IllegalArgumentException("args must not contain null");
    }
    if (readSet != null && readSet.stream().anyMatch(r -> r == null)) {
      throw new IllegalArgumentException("readSet must not contain null");
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature is not base64: " + e.getMessage());
    }
    return new Request(clusterId, new ClientId(client), timestamp, contract, operation, args,
        readSet, sig);
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("field '" + field + "' is required");
    }
  }
}
