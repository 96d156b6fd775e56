package org.bftlab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.bftlab.codec.SampleMessages;
import org.bftlab.codec.WireLimits;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.core.quorum.Quorums;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The largest legal message of each bounded kind, built from the default protocol parameters
 * (batch-size 64, max-request-bytes 64 KiB, n = 4), serialized by the peer-wire codec, fits the
 * Artery frame {@link WireLimits#maxMessageBytes} sets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireLimitsTest {
  static final ProtocolParams PARAMS = ProtocolParams.defaults(SampleMessages.CLUSTER, 4);
  static final long FRAME = WireLimits.maxMessageBytes(PARAMS.batchSize(),
      PARAMS.maxRequestBytes(), PARAMS.n(), PARAMS.watermarkWindow());
  static final int Q = new Quorums(PARAMS.n()).commit();

  WireFixture fixture;
  ActorSystem<Void> system;
  WireSerializer wire;

  @BeforeAll
  void start() throws Exception {
    fixture = new WireFixture("wire-limits");
    system = fixture.system;
    wire = fixture.wire;
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  /** A request of exactly max-request-bytes canonical bytes. */
  static Request largestRequest(long t) {
    String filler = "x".repeat(PARAMS.maxRequestBytes());
    Request r = sign(t, filler);
    int excess = r.canonicalSize() - PARAMS.maxRequestBytes();
    r = sign(t, filler.substring(excess));
    assertThat(r.canonicalSize()).isEqualTo(PARAMS.maxRequestBytes());
    return r;
  }

  private static Request sign(long t, String arg) {
    return Request.sign(SampleMessages.CLUSTER, new ClientId("client-" + "9".repeat(48)), t,
        "token", "transfer", List.of(arg), SampleMessages.AUTH::sign);
  }

  private int encoded(ProtocolMessage m) throws Exception {
    return wire.toBinary(new NodeInbox.PeerEnvelope(m)).length;
  }

  @Test
  void aFullPrePrepareOfTheLargestRequestsFits() throws Exception {
    List<Request> batch = new ArrayList<>();
    for (int i = 0; i < PARAMS.batchSize(); i++) {
      batch.add(largestRequest(i + 1));
    }
    PrePrepare pp = PrePrepare.sign(SampleMessages.CLUSTER, Long.MAX_VALUE / 2,
        Long.MAX_VALUE / 2, batch, new NodeId(0), SampleMessages.AUTH);
    int bytes = encoded(pp);
    System.out.printf("largest PRE-PREPARE: %,d bytes, frame %,d%n", bytes, FRAME);
    assertThat((long) bytes).isLessThanOrEqualTo(FRAME);
  }

  /**
   * OSDI'99 §4.4 with TOCS'02 §5.1: a VIEW-CHANGE carries a prepared certificate for every seqNo
   * in (h, H] — L = 32 of them here, each for a full batch of the largest requests (4 MiB of
   * requests each, 128 MiB in all) — and a NEW-VIEW 2f+1 such VIEW-CHANGEs plus O. With headers
   * (digests) instead of batches both stay within their stated bound, far below the frame.
   */
  @Test
  void viewChangeAndNewViewOverFullWindowsOfLargestBatchesFit() throws Exception {
    List<Request> batch = new ArrayList<>();
    for (int i = 0; i < PARAMS.batchSize(); i++) {
      batch.add(largestRequest(i + 1));
    }
    long h = Long.MAX_VALUE / 4;
    long v = Long.MAX_VALUE / 8;
    Digest cpDigest = Digest.sha256(new byte[] {3});
    List<Checkpoint> proof = new ArrayList<>();
    for (int i = 0; i < 2 * PARAMS.f() + 1; i++) {
      proof.add(Checkpoint.sign(SampleMessages.CLUSTER, h, cpDigest, new NodeId(i),
          SampleMessages.AUTH));
    }
    NodeId primary = PARAMS.primary(v);
    List<PreparedCertificate> p = new ArrayList<>();
    long batchBytes = 0;
    for (long n = h + 1; n <= h + PARAMS.watermarkWindow(); n++) {
      PrePrepare pp = PrePrepare.sign(SampleMessages.CLUSTER, v, n, batch, primary,
          SampleMessages.AUTH);
      batchBytes += batch.stream().mapToLong(Request::canonicalSize).sum();
      List<Prepare> prepares = new ArrayList<>();
      for (int i = 0; prepares.size() < 2 * PARAMS.f(); i++) {
        if (!new NodeId(i).equals(primary)) {
          prepares.add(Prepare.sign(SampleMessages.CLUSTER, v, n, pp.digest(), new NodeId(i),
              SampleMessages.AUTH));
        }
      }
      p.add(new PreparedCertificate(pp.header(), prepares));
    }
    List<ViewChange> vs = new ArrayList<>();
    for (int i = 0; i < 2 * PARAMS.f() + 1; i++) {
      vs.add(ViewChange.sign(SampleMessages.CLUSTER, v + 1, h, proof, p, new NodeId(i),
          SampleMessages.AUTH));
    }
    int vcBytes = encoded(vs.get(0));
    List<PrePrepareHeader> o = p.stream().map(pc -> PrePrepareHeader.sign(SampleMessages.CLUSTER,
        v + 1, pc.prePrepare().seqNo(), pc.prePrepare().digest(), PARAMS.primary(v + 1),
        SampleMessages.AUTH)).toList();
    NewView nv = NewView.sign(SampleMessages.CLUSTER, v + 1, vs, o, PARAMS.primary(v + 1),
        SampleMessages.AUTH);
    int nvBytes = encoded(nv);
    System.out.printf("VIEW-CHANGE with %d prepared batches of %,d request bytes in all: %,d bytes"
        + " (bound %,d); NEW-VIEW: %,d bytes (bound %,d); frame %,d%n", p.size(), batchBytes,
        vcBytes, ViewChange.maxCborBytes(Q, PARAMS.watermarkWindow()), nvBytes,
        NewView.maxCborBytes(Q, PARAMS.watermarkWindow()), FRAME);
    assertThat(batchBytes).isGreaterThan(100L << 20);
    assertThat((long) vcBytes).isLessThanOrEqualTo(
        ViewChange.maxCborBytes(Q, PARAMS.watermarkWindow()));
    assertThat((long) nvBytes).isLessThanOrEqualTo(
        NewView.maxCborBytes(Q, PARAMS.watermarkWindow()));
    assertThat(NewView.maxCborBytes(Q, PARAMS.watermarkWindow())).isLessThan(FRAME);
    assertThat(wire.fromBinary(wire.toBinary(new NodeInbox.PeerEnvelope(nv)),
        WireSerializer.ENVELOPE + "pekko://bftlab@10.0.0.9:25521")).isInstanceOfSatisfying(
            NodeInbox.PeerEnvelope.class, env -> assertThat(((NewView) env.message())
                .verify(SampleMessages.CLUSTER, SampleMessages.AUTH)).isTrue());
  }

  /** n = 40 (f = 13): the NEW-VIEW bound, not the PRE-PREPARE, sets the frame. */
  @Test
  void largeClustersSizeTheFrameByTheNewViewBound() {
    long nv40 = NewView.maxCborBytes(new Quorums(40).commit(), 32);
    long frame40 = WireLimits.maxMessageBytes(64, 65536, 40, 32);
    System.out.printf("n=40, L=32: NEW-VIEW bound %,d bytes, frame %,d%n", nv40, frame40);
    assertThat(frame40).isGreaterThanOrEqualTo(nv40)
        .isGreaterThan(WireLimits.maxMessageBytes(64, 65536));
    assertThat(WireLimits.maxMessageBytes(64, 65536, 4, 32))
        .isEqualTo(WireLimits.maxMessageBytes(64, 65536));
  }

  /**
   * A STATE-RESPONSE holds blocks up to {@link StateResponse#budget} wire bytes, or one block
   * (StateTransfer serves no more). Its two largest shapes: one full block — a batch of the
   * largest requests, each with a result of the largest length — and as many one-request blocks of the
   * largest request as the budget admits; each with a 2f+1 checkpoint certificate.
   */
  @Test
  void theLargestStateResponsesFit() throws Exception {
    List<BlockEntry> full = new ArrayList<>();
    for (int i = 0; i < PARAMS.batchSize(); i++) {
      full.add(entry(i));
    }
    assertFits("one full block", List.of(block(0, full)));
    long budget = StateResponse.budget(PARAMS.batchSize(), PARAMS.maxRequestBytes());
    List<Block> many = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; ; i++) {
      Block b = block(i, List.of(entry(i)));
      bytes += StateResponse.wireBytes(b);
      if (bytes > budget) {
        break;
      }
      many.add(b);
    }
    assertThat(many).hasSizeGreaterThan(1);
    assertFits(many.size() + " one-request blocks", many);
  }

  private static BlockEntry entry(int i) {
    return new BlockEntry(largestRequest(i + 1), ValidationCode.MVCC_READ_CONFLICT,
        "r".repeat(BlockEntry.MAX_RESULT_LENGTH));
  }

  private static Block block(int i, List<BlockEntry> entries) {
    Digest d = Digest.sha256(new byte[] {1});
    return new Block(new BlockHeader(Long.MAX_VALUE / 2 + i, d, d, d, entries.size()), entries);
  }

  private void assertFits(String what, List<Block> blocks) throws Exception {
    Digest d = Digest.sha256(new byte[] {1});
    List<Checkpoint> proof = new ArrayList<>();
    for (int i = 0; i < 2 * PARAMS.f() + 1; i++) {
      proof.add(Checkpoint.sign(SampleMessages.CLUSTER, Long.MAX_VALUE / 2, d, new NodeId(i),
          SampleMessages.AUTH));
    }
    StateResponse sr = StateResponse.sign(SampleMessages.CLUSTER, blocks, proof, new NodeId(1),
        SampleMessages.AUTH);
    int bytes = encoded(sr);
    System.out.printf("largest STATE-RESPONSE (%s): %,d bytes, frame %,d%n", what, bytes, FRAME);
    assertThat((long) bytes).as(what).isLessThanOrEqualTo(FRAME);
  }
}
