package org.bftlab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

/** Each reason an admin request is refused, and the signed request that passes. */
class AdminAuthTest {
  static final byte[] BODY = "[{\"rule\":\"drop\",\"probability\":1.0}]"
      .getBytes(StandardCharsets.UTF_8);
  final AdminFixture fx = new AdminFixture("bftlab-test");
  final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
  final AdminAuth auth = AdminAuth.of(fx.genesis, new NodeId(1), Duration.ofSeconds(30),
      clock::get);

  private Optional<ApiError> call(Map<String, String> h, String method, byte[] body) {
    return auth.check(method, "/admin/faults", Optional.ofNullable(h.get(AdminSignature.ADMIN_HEADER)),
        Optional.ofNullable(h.get(AdminSignature.TIMESTAMP_HEADER)),
        Optional.ofNullable(h.get(AdminSignature.SIGNATURE_HEADER)), body);
  }

  private Map<String, String> signed(String id, Ed25519KeyPair key, long ts) {
    return fx.sign(id, key, "node-1", "PUT", "/admin/faults", ts, BODY);
  }

  private static void refused(Optional<ApiError> e, int status, String code, String because) {
    assertThat(e).as("refused").isPresent();
    assertThat(e.get().status()).isEqualTo(status);
    assertThat(e.get().error()).isEqualTo(code);
    assertThat(e.get().message()).contains(because);
  }

  @Test
  void aSignedRequestPassesOnceAndItsReplayIsRefused() {
    Map<String, String> h = signed("admin-0", fx.admin, clock.get());
    assertThat(call(h, "PUT", BODY)).isEmpty();
    refused(call(h, "PUT", BODY), 401, ApiError.REPLAYED, "already received");
    // a fresh signature (new timestamp) passes again
    assertThat(call(signed("admin-0", fx.admin, clock.get() + 1), "PUT", BODY)).isEmpty();
  }

  @Test
  void unsignedRequestsAreRefused() {
    refused(call(Map.of(), "GET", new byte[0]), 401, ApiError.UNAUTHENTICATED,
        "missing X-Bftlab-Admin, X-Bftlab-Timestamp, X-Bftlab-Signature");
    Map<String, String> noSig = Map.of(AdminSignature.ADMIN_HEADER, "admin-0",
        AdminSignature.TIMESTAMP_HEADER, "1");
    refused(call(noSig, "GET", new byte[0]), 401, ApiError.UNAUTHENTICATED,
        "missing X-Bftlab-Signature");
    Map<String, String> junk = Map.of(AdminSignature.ADMIN_HEADER, "admin-0",
        AdminSignature.TIMESTAMP_HEADER, "yesterday", AdminSignature.SIGNATURE_HEADER, "AAAA");
    refused(call(junk, "GET", new byte[0]), 401, ApiError.UNAUTHENTICATED, "epoch milliseconds");
  }

  @Test
  void wronglySignedRequestsAreRefused() {
    long ts = clock.get();
    // signed for another body, another method, another node, or by another admin-sized key
    Map<String, String> h = signed("admin-0", fx.admin, ts);
    refused(call(h, "PUT", "[]".getBytes(StandardCharsets.UTF_8)), 401, ApiError.BAD_SIGNATURE,
        "does not verify under admin admin-0's key");
    refused(call(h, "DELETE", BODY), 401, ApiError.BAD_SIGNATURE, "does not verify");
    Map<String, String> forNode2 = fx.sign("admin-0", fx.admin, "node-2", "PUT",
        "/admin/faults", ts, BODY);
    refused(call(forNode2, "PUT", BODY), 401, ApiError.BAD_SIGNATURE, "on node-1");
  }

  @Test
  void clientAndReplicaKeysAreRefused() {
    long ts = clock.get();
    refused(call(signed("client-0", fx.client, ts), "PUT", BODY), 403, ApiError.NOT_ADMIN,
        "'client-0' is a client, not an admin");
    refused(call(signed("node-0", fx.replica0, ts), "PUT", BODY), 403, ApiError.NOT_ADMIN,
        "is a replica, not an admin");
    refused(call(signed("mallory", fx.client, ts), "PUT", BODY), 403, ApiError.NOT_ADMIN,
        "not an admin of cluster bftlab-test");
    // claiming to be admin-0 with a client's key
    refused(call(signed("admin-0", fx.client, ts), "PUT", BODY), 401, ApiError.BAD_SIGNATURE,
        "signed by the key of client client-0");
  }

  @Test
  void staleAndFutureRequestsAreRefused() {
    long now = clock.get();
    refused(call(signed("admin-0", fx.admin, now - 31_000), "PUT", BODY), 401, ApiError.STALE,
        "31000 ms from this node's clock");
    refused(call(signed("admin-0", fx.admin, now + 31_000), "PUT", BODY), 401, ApiError.STALE,
        "more than the 30000 ms window");
    // a request that passed, replayed after the window, is stale (and forgotten)
    Map<String, String> h = signed("admin-0", fx.admin, now);
    assertThat(call(h, "PUT", BODY)).isEmpty();
    clock.addAndGet(30_001);
    refused(call(h, "PUT", BODY), 401, ApiError.STALE, "window");
  }

  @Test
  void withoutAdminsTheRoutesAreOff() {
    AdminAuth off = AdminAuth.off();
    assertThat(off.enabled()).isFalse();
    Optional<ApiError> e = off.check("GET", "/admin/faults", Optional.empty(), Optional.empty(),
        Optional.empty(), new byte[0]);
    refused(e, 404, ApiError.NOT_FOUND, "the genesis file lists no admins");
    AdminAuth none = AdminAuth.of(fx.genesis.withAdmins(java.util.List.of()), new NodeId(0));
    assertThat(none.enabled()).isFalse();
  }

  @Test
  void theLocal4DevelopmentClusterHasAnAdminWhoseKeyIsCheckedIn() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("cluster-configs/local-4");
    org.bftlab.crypto.Genesis g = org.bftlab.crypto.Genesis.read(dir.resolve("genesis.json"));
    byte[] key = org.bftlab.crypto.KeyFiles.readPrivateKey(dir.resolve("admins/admin-0.key"));
    assertThat(g.admin("admin-0")).get().extracting(a -> a.publicKey()).isEqualTo(
        org.bftlab.crypto.KeyFiles.encodePublicKey(org.bftlab.crypto.Ed25519.publicKeyOf(key)));
  }
}
