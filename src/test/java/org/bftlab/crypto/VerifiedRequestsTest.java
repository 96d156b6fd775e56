package org.bftlab.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Signal;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.msg.RequestChecks;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Request;
import org.junit.jupiter.api.Test;

/**
 * Each client signature is verified once per replica; what the replica did not verify itself
 * (a request first seen inside a Byzantine primary's PRE-PREPARE, a copy with another
 * signature) is verified again.
 */
class VerifiedRequestsTest {
  private static final String CLUSTER = "c";
  private static final ClientId C = new ClientId("client-0");
  private final AtomicInteger clientVerifications = new AtomicInteger();

  /** Valid client signature = SHA-256(client || payload); counts verifications. */
  private final Authenticator inner = new Authenticator() {
    @Override
    public byte[] sign(byte[] payload) {
      return Digest.sha256(payload).bytes();
    }

    @Override
    public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
      return true;
    }

    @Override
    public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
      clientVerifications.incrementAndGet();
      return Arrays.equals(signature, clientSig(client, payload));
    }

    @Override
    public boolean knowsClient(ClientId client) {
      return true;
    }
  };
  private final ProtocolParams params = ProtocolParams.defaults(CLUSTER, 4);

  private static byte[] clientSig(ClientId client, byte[] payload) {
    return Digest.sha256(client.value().getBytes(), payload).bytes();
  }

  private static Request request(long t, String value) {
    return Request.sign(CLUSTER, C, t, "kv", "put", List.of("k", value),
        p -> clientSig(C, p));
  }

  @Test
  void aRequestVerifiedAtTheGatewayIsNotVerifiedAgainByAgreementOrAtExecution() {
    VerifiedRequests auth = new VerifiedRequests(inner);
    Request r = request(1, "v");
    assertThat(RequestChecks.check(r, params, auth)).isEmpty();  // gateway (POST)
    assertThat(RequestChecks.check(r, params, auth)).isEmpty();  // agreement (relayed copy)
    assertThat(execute(auth, r)).isEqualTo(ValidationCode.VALID);  // block commit
    assertThat(clientVerifications).hasValue(1);
    assertThat(auth.counts().clientVerifications()).isEqualTo(1);
    assertThat(auth.counts().clientVerificationsSaved()).isEqualTo(2);
  }

  @Test
  void aForgedCopyInsideAPrePrepareIsStillVerifiedAndRejected() {
    VerifiedRequests auth = new VerifiedRequests(inner);
    Request genuine = request(1, "v");
    assertThat(RequestChecks.check(genuine, params, auth)).isEmpty();
    // a Byzantine primary proposes the same (client, t) with another payload, or a bad signature
    Request otherPayload = request(1, "w").withSignature(genuine.signature());
    byte[] flipped = genuine.signature().clone();
    flipped[0] ^= 1;
    Request badSignature = genuine.withSignature(flipped);
    assertThat(otherPayload.txId()).isEqualTo(genuine.txId());
    assertThat(execute(auth, otherPayload)).isEqualTo(ValidationCode.BAD_SIGNATURE);
    assertThat(execute(auth, badSignature)).isEqualTo(ValidationCode.BAD_SIGNATURE);
    // a request this replica never saw before the PRE-PREPARE: verified at execution
    Request unseen = request(2, "x");
    assertThat(execute(auth, unseen)).isEqualTo(ValidationCode.VALID);
    assertThat(clientVerifications).hasValue(4);
    // invalid signatures are never remembered
    assertThat(execute(auth, badSignature)).isEqualTo(ValidationCode.BAD_SIGNATURE);
    assertThat(clientVerifications).hasValue(5);
  }

  @Test
  void rememberedDigestsAreDroppedAfterTwoStableCheckpointsAndBounded() {
    VerifiedRequests auth = new VerifiedRequests(inner, 3);
    Request r = request(1, "v");
    assertThat(r.verify(auth)).isTrue();
    auth.onStableCheckpoint(16);
    assertThat(r.verify(auth)).isTrue();  // still remembered (previous generation)
    assertThat(clientVerifications).hasValue(1);
    auth.onStableCheckpoint(32);
    assertThat(r.verify(auth)).isTrue();
    assertThat(clientVerifications).hasValue(2);  // dropped, verified again
    for (int t = 10; t < 20; t++) {
      assertThat(request(t, "v").verify(auth)).isTrue();
    }
    assertThat(auth.remembered()).isLessThanOrEqualTo(6);
  }

  /** Executes {@code r} alone in block 1 on a fresh replica; its validation code. */
  private ValidationCode execute(Authenticator auth, Request r) {
    BlockCommitCore core = new BlockCommitCore(params, new NodeId(1), auth);
    Decision<BlockCommitEvent> d = new ComponentRunner<>(core, events -> {}).step(new Input.FromSibling(
        new Signal.BatchCommitted(0, 1, Digest.ZERO, List.of(r))));
    return ((BlockCommitEvent.BlockCommitted) d.events().get(0)).block().entries().get(0).code();
  }
}
