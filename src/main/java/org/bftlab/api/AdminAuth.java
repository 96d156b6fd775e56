package org.bftlab.api;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisAdmin;
import org.bftlab.crypto.GenesisClient;
import org.bftlab.crypto.GenesisNode;

/**
 * Who may call the admin routes ({@code /admin/*}): only an operator listed under {@code admins}
 * in the genesis file, with a request signed as {@link AdminSignature} describes. The checks,
 * in order; the first failure is the answer and the route does nothing:
 *
 * <ol>
 *   <li>the genesis lists no admin → 404 {@code NOT_FOUND} (the admin routes are off);</li>
 *   <li>a header missing, a timestamp that is not a decimal integer, a signature that is not
 *       base64 of 64 bytes → 401 {@code UNAUTHENTICATED};</li>
 *   <li>the admin header names a client, a replica or nobody → 403 {@code NOT_ADMIN};</li>
 *   <li>the timestamp further than the window (30 s by default) from this node's clock → 401
 *       {@code STALE};</li>
 *   <li>the signature does not verify under that admin's key → 401 {@code BAD_SIGNATURE} (the
 *       message says when it verifies under a client's or replica's key instead);</li>
 *   <li>the same signed request (same admin, method, path, timestamp and body) seen before →
 *       401 {@code REPLAYED}.</li>
 * </ol>
 *
 * Only requests that pass every check are remembered (until their timestamp leaves the window),
 * so nobody without an admin key can grow the memory; at most {@link #MAX_REMEMBERED} at a time
 * (beyond: 503 {@code UNAVAILABLE}). Thread-safe.
 */
public final class AdminAuth {
  /** Default window: a timestamp may be this far from the node's clock, either way. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
  /** Most requests remembered against replays at a time. */
  public static final int MAX_REMEMBERED = 10_000;

  private final String clusterId;
  private final String nodeId;
  private final Map<String, Ed25519.VerifyingKey> admins;
  private final Map<String, Ed25519.VerifyingKey> others;
  private final long windowMillis;
  private final LongSupplier clock;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  private AdminAuth(String clusterId, String nodeId, Map<String, Ed25519.VerifyingKey> admins,
      Map<String, Ed25519.VerifyingKey> others, Duration window, LongSupplier clock) {
    this.clusterId = clusterId;
    this.nodeId = nodeId;
    this.admins = Map.copyOf(admins);
    this.others = others;
    this.windowMillis = window.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
    if (windowMillis <= 0) {
      throw new IllegalArgumentException("the admin window must be positive, got " + window);
    }
  }

  /** Admin routes off: every request is answered 404. */
  public static AdminAuth off() {
    return new AdminAuth("", "", Map.of(), Map.of(), DEFAULT_WINDOW, System::currentTimeMillis);
  }

  /** The admins of {@code genesis} for node {@code self}, the default window, the wall clock. */
  public static AdminAuth of(Genesis genesis, NodeId self) {
    return of(genesis, self, DEFAULT_WINDOW, System::currentTimeMillis);
  }

  /**
   * @param window how far a timestamp may be from {@code clockMillis}, either way
   * @param clockMillis this node's clock, Unix epoch milliseconds
   */
  public static AdminAuth of(Genesis genesis, NodeId self, Duration window,
      LongSupplier clockMillis) {
    Map<String, Ed25519.VerifyingKey> admins = new LinkedHashMap<>();
    for (GenesisAdmin a : genesis.admins()) {
      admins.put(a.id(), Ed25519.verifyingKey(a.publicKeyBytes()));
    }
    Map<String, Ed25519.VerifyingKey> others = new LinkedHashMap<>();
    for (GenesisClient c : genesis.clients()) {
      others.put("client " + c.id().value(), Ed25519.verifyingKey(c.publicKeyBytes()));
    }
    for (GenesisNode n : genesis.nodes()) {
      others.put("replica " + n.id(), Ed25519.verifyingKey(n.publicKeyBytes()));
    }
    return new AdminAuth(genesis.clusterId(), self.toString(), admins, others, window,
        clockMillis);
  }

  /** True when the genesis lists at least one admin. */
  public boolean enabled() {
    return !admins.isEmpty();
  }

  /**
   * Checks one request to an admin route.
   *
   * @param method the HTTP method, e.g. {@code PUT}
   * @param target the path and, if any, {@code ?} and the raw query, e.g. {@code /admin/faults}
   * @param admin the {@value AdminSignature#ADMIN_HEADER} header, if present
   * @param timestamp the {@value AdminSignature#TIMESTAMP_HEADER} header, if present
   * @param signature the {@value AdminSignature#SIGNATURE_HEADER} header, if present
   * @param body the request body (empty when none)
   * @return empty when the request may proceed, else the refusal
   */
  public Optional<ApiError> check(String method, String target, Optional<String> admin,
      Optional<String> timestamp, Optional<String> signature, byte[] body) {
    if (!enabled()) {
      return refuse(404, ApiError.NOT_FOUND, "the admin routes are off: the genesis file lists "
          + "no admins (cryptogen --admins 1 writes one)");
    }
    if (admin.isEmpty() || timestamp.isEmpty() || signature.isEmpty()) {
      return refuse(401, ApiError.UNAUTHENTICATED, "admin routes need a request signed by an "
          + "admin key: headers " + AdminSignature.ADMIN_HEADER + ", "
          + AdminSignature.TIMESTAMP_HEADER + " and " + AdminSignature.SIGNATURE_HEADER
          + " (bftlab admin signs them); missing " + missing(admin, timestamp, signature));
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.get().trim());
    } catch (NumberFormatException e) {
      return refuse(401, ApiError.UNAUTHENTICATED, AdminSignature.TIMESTAMP_HEADER
          + " must be Unix epoch milliseconds, got '" + abbreviate(timestamp.get()) + "'");
    }
    byte[] sig = decodeBase64(signature.get().trim());
    if (sig.length != Ed25519.SIGNATURE_BYTES) {
      return refuse(401, ApiError.UNAUTHENTICATED, AdminSignature.SIGNATURE_HEADER
          + " must be base64 of a 64-byte Ed25519 signature");
    }
    String id = admin.get().trim();
    Ed25519.VerifyingKey key = admins.get(id);
    if (key == null) {
      String member = others.keySet().stream().filter(k -> k.endsWith(" " + id)).findFirst()
          .orElse(null);
      return refuse(403, ApiError.NOT_ADMIN, (member != null ? "'" + abbreviate(id) + "' is a "
          + member.substring(0, member.indexOf(' ')) + ", not an admin"
          : "'" + abbreviate(id) + "' is not an admin of cluster " + clusterId)
          + "; the admin routes accept only the admins listed in the genesis file");
    }
    long now = clock.getAsLong();
    if (Math.abs(now - ts) > windowMillis) {
      return refuse(401, ApiError.STALE, "timestamp " + ts + " is " + Math.abs(now - ts)
          + " ms from this node's clock, more than the " + windowMillis + " ms window; sign "
          + "the request again (and check the clocks)");
    }
    byte[] signed = AdminSignature.signedBytes(clusterId, nodeId, method, target, ts, body);
    if (!key.verify(signed, sig)) {
      String by = others.entrySet().stream().filter(e -> e.getValue().verify(signed, sig))
          .map(Map.Entry::getKey).findFirst().orElse(null);
      return refuse(401, ApiError.BAD_SIGNATURE, by != null
          ? "the request is signed by the key of " + by + ", not by admin " + id
              + "'s: client and replica keys cannot call the admin routes"
          : "the signature does not verify under admin " + id + "'s key for " + method + " "
              + target + " on " + nodeId + " of cluster " + clusterId
              + " (another node, body or timestamp?)");
    }
    String fingerprint = id + "/" + Digest.sha256(signed).hex();
    forget(now);
    if (seen.size() >= MAX_REMEMBERED) {
      return refuse(503, ApiError.UNAVAILABLE, "more than " + MAX_REMEMBERED + " admin requests "
          + "within the window; try again later");
    }
    if (seen.putIfAbsent(fingerprint, ts) != null) {
      return refuse(401, ApiError.REPLAYED, "this signed request was already received (same "
          + "admin, method, path, timestamp and body); sign a new one");
    }
    return Optional.empty();
  }

  private static byte[] decodeBase64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /** Drops remembered requests whose timestamp has left the window (they are stale now). */
  private void forget(long now) {
    seen.values().removeIf(ts -> Math.abs(now - ts) > windowMillis);
  }

  private static String missing(Optional<String> a, Optional<String> t, Optional<String> s) {
    StringBuilder sb = new StringBuilder();
    if (a.isEmpty()) {
      sb.append(AdminSignature.ADMIN_HEADER);
    }
    if (t.isEmpty()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(AdminSignature.TIMESTAMP_HEADER);
    }
    if (s.isEmpty()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(AdminSignature.SIGNATURE_HEADER);
    }
    return sb.toString();
  }

  private static String abbreviate(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 40 ? clean : clean.substring(0, 37) + "...";
  }

  private static Optional<ApiError> refuse(int status, String code, String message) {
    return Optional.of(new ApiError(status, code, message));
  }
}
