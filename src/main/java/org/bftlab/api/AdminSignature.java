package org.bftlab.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bftlab.core.model.Digest;
import org.bftlab.crypto.Ed25519;

/**
 * What an operator signs to call a node's admin routes, and the headers that carry it. The
 * signed bytes are UTF-8 lines, newline-separated, never JSON:
 *
 * <pre>
 * bftlab-admin/1
 * &lt;cluster id&gt;
 * &lt;target node id&gt;            e.g. node-1: a request for one node is refused by another
 * &lt;METHOD&gt;                    e.g. PUT
 * &lt;path[?raw query]&gt;          e.g. /admin/faults
 * &lt;timestamp&gt;                 Unix epoch milliseconds, decimal
 * &lt;SHA-256 of the body&gt;       64 lower-case hex digits (of zero bytes when there is no body)
 * </pre>
 *
 * Headers: {@value #ADMIN_HEADER} (the admin id in the genesis), {@value #TIMESTAMP_HEADER}
 * (the timestamp above), {@value #SIGNATURE_HEADER} (base64 of the Ed25519 signature, RFC 8032,
 * by the admin's key). Checked by {@link AdminAuth}; signed by {@code bftlab admin}.
 */
public final class AdminSignature {
  /** The admin id, as listed under {@code admins} in the genesis file. */
  public static final String ADMIN_HEADER = "X-Bftlab-Admin";
  /** Unix epoch milliseconds when the request was signed. */
  public static final String TIMESTAMP_HEADER = "X-Bftlab-Timestamp";
  /** Base64 (RFC 4648 §4) of the 64-byte Ed25519 signature over {@link #signedBytes}. */
  public static final String SIGNATURE_HEADER = "X-Bftlab-Signature";

  private AdminSignature() {}

  /** The bytes an admin signs for one request; see the class comment for the layout. */
  public static byte[] signedBytes(String clusterId, String nodeId, String method, String target,
      long timestampMillis, byte[] body) {
    String text = "bftlab-admin/1\n" + Objects.requireNonNull(clusterId, "clusterId") + "\n"
        + Objects.requireNonNull(nodeId, "nodeId") + "\n"
        + Objects.requireNonNull(method, "method").toUpperCase(java.util.Locale.ROOT) + "\n"
        + Objects.requireNonNull(target, "target") + "\n" + timestampMillis + "\n"
        + Digest.sha256(body == null ? new byte[0] : body).hex();
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The three headers of a request signed by {@code adminId} with {@code key}, in the order
   * admin, timestamp, signature.
   */
  public static Map<String, String> headers(String adminId, Ed25519.SigningKey key,
      String clusterId, String nodeId, String method, String target, long timestampMillis,
      byte[] body) {
    byte[] sig = key.sign(signedBytes(clusterId, nodeId, method, target, timestampMillis, body));
    Map<String, String> h = new LinkedHashMap<>();
    h.put(ADMIN_HEADER, adminId);
    h.put(TIMESTAMP_HEADER, Long.toString(timestampMillis));
    h.put(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(sig));
    return h;
  }
}
