package org.bftlab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.bftlab.codec.ReadLimits;
import org.bftlab.codec.SampleMessages;
import org.bftlab.codec.WireLimits;
import org.bftlab.core.msg.ProtocolMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Peer messages on the wire: every type round-trips; malformed, unknown-type, oversized,
 * over-nested and invalid ones become {@link UndecodablePeerMessage}s that the inbox drops,
 * counted per peer and logged at most once a minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireSerializerTest {
  WireFixture fixture;
  ActorSystem<Void> system;
  WireSerializer wire;

  @BeforeAll
  void start() throws Exception {
    fixture = new WireFixture("wire-test");
    system = fixture.system;
    wire = fixture.wire;
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  private Object decode(byte[] bytes) throws Exception {
    return wire.fromBinary(bytes, WireSerializer.ENVELOPE + "pekko://bftlab@10.0.0.9:25521");
  }

  @Test
  void aMulticastEnvelopeIsEncodedOnceForEveryPeer() throws Exception {
    ProtocolMessage m = SampleMessages.all().get(1);
    NodeInbox.PeerEnvelope env = new NodeInbox.PeerEnvelope(m);
    byte[] first = wire.toBinary(env);
    assertThat(wire.toBinary(env)).isSameAs(first); // the second peer reuses the bytes
    assertThat(wire.toBinary(new NodeInbox.PeerEnvelope(m))).isEqualTo(first).isNotSameAs(first);
    assertThat(wire.toBinary(decode(first))).isEqualTo(first);
  }

  @Test
  void everyMessageTypeRoundTrips() throws Exception {
    for (ProtocolMessage m : SampleMessages.all()) {
      NodeInbox.PeerEnvelope env = new NodeInbox.PeerEnvelope(m);
      assertThat(Serializers.manifestFor(wire, env)).startsWith("E|pekko://wire-test");
      byte[] bytes = wire.toBinary(env);
      Object back = decode(bytes);
      assertThat(back).as(m.type()).isInstanceOf(NodeInbox.PeerEnvelope.class);
      ProtocolMessage decoded = ((NodeInbox.PeerEnvelope) back).message();
      assertThat(decoded.getClass()).isEqualTo(m.getClass());
      assertThat(wire.toBinary(back)).as(m.type()).isEqualTo(bytes);
    }
  }

  /**
   * A bundle (issue 9) is a CBOR array of its envelopes' own encodings: it round-trips in
   * order, reuses an envelope's bytes made for another peer, and a bundle that is not 2+
   * messages, has a null, or is cut short is dropped and counted, never thrown.
   */
  @Test
  void aBundleRoundTripsInOrderAndABadOneIsDropped() throws Exception {
    String peer = "pekko://bftlab@10.0.0.9:25521";
    List<NodeInbox.PeerEnvelope> envs = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // 30 items: a two-byte array header
      envs.add(new NodeInbox.PeerEnvelope(SampleMessages.all().get(i % SampleMessages.all().size())));
    }
    byte[] one = wire.toBinary(envs.get(0)); // as sent alone to another peer first
    NodeInbox.PeerBundle bundle = new NodeInbox.PeerBundle(envs);
    assertThat(Serializers.manifestFor(wire, bundle)).startsWith("B|pekko://wire-test");
    byte[] bytes = wire.toBinary(bundle);
    assertThat(envs.get(0).wire(m -> { throw new AssertionError("encoded again"); })).isSameAs(one);
    Object back = wire.fromBinary(bytes, WireSerializer.BUNDLE + peer);
    assertThat(back).isInstanceOf(NodeInbox.PeerBundle.class);
    // in order: the same types, and each re-encodes to the bytes sent (some records hold arrays)
    List<NodeInbox.PeerEnvelope> got = ((NodeInbox.PeerBundle) back).envelopes();
    assertThat(got).hasSameSizeAs(envs);
    for (int i = 0; i < envs.size(); i++) {
      assertThat(got.get(i).message().getClass()).isEqualTo(envs.get(i).message().getClass());
      assertThat(wire.toBinary(got.get(i))).isEqualTo(wire.toBinary(envs.get(i)));
    }
    assertThat(wire.toBinary(back)).isEqualTo(bytes);

    long before = wire.drops().from(peer);
    com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper cbor =
        new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper();
    byte[] single = new byte[one.length + 1];
    single[0] = (byte) 0x81; // an array of one
    System.arraycopy(one, 0, single, 1, one.length);
    List<byte[]> bad = List.of(single, cbor.writeValueAsBytes(java.util.Arrays.asList(null, null)),
        java.util.Arrays.copyOf(bytes, bytes.length - 5), one /* not an array */,
        new byte[(int) WireLimits.MIN_FRAME_BYTES * 20]);
    for (byte[] b : bad) {
      assertThat(wire.fromBinary(b, WireSerializer.BUNDLE + peer))
          .isInstanceOf(UndecodablePeerMessage.class);
    }
    assertThat(wire.drops().from(peer) - before).isEqualTo(bad.size());
  }

  @Test
  void badMessagesAreDroppedCountedNeverThrown() throws Exception {
    String peer = "pekko://bftlab@10.0.0.9:25521";
    long before = wire.drops().from(peer);
    byte[] good = wire.toBinary(new NodeInbox.PeerEnvelope(SampleMessages.all().get(2)));
    List<byte[]> bad = new ArrayList<>();
    bad.add(new byte[0]);
    bad.add("not cbor at all".getBytes(StandardCharsets.UTF_8));
    bad.add(java.util.Arrays.copyOf(good, good.length / 2));            // truncated
    byte[] unknownType = good.clone();                                   // "Prepare" -> "Prepara"
    String text = new String(unknownType, StandardCharsets.ISO_8859_1).replace("Prepare", "Prepara");
    bad.add(text.getBytes(StandardCharsets.ISO_8859_1));
    bad.add(nested(ReadLimits.MAX_NESTING_DEPTH + 10));                   // nesting bomb
    bad.add(new byte[(int) WireLimits.MIN_FRAME_BYTES * 20]);             // oversized
    for (byte[] b : bad) {
      assertThat(decode(b)).isInstanceOf(UndecodablePeerMessage.class);
    }
    UndecodablePeerMessage unknown = (UndecodablePeerMessage) decode(bad.get(3));
    assertThat(unknown.reason()).contains("Prepara");
    assertThat(((UndecodablePeerMessage) decode(bad.get(4))).reason()).containsIgnoringCase("nesting");
    assertThat(((UndecodablePeerMessage) decode(bad.get(5))).reason()).startsWith("oversized");
    assertThat(wire.fromBinary(good, "other-manifest")).isInstanceOf(UndecodablePeerMessage.class);
    assertThat(wire.drops().from(peer) - before).isEqualTo(bad.size() + 3);
  }

  /**
   * A PREPARE whose view is an array nested {@code depth} deep, before its type: the decoder
   * buffers it while looking for the type, so the parser reads it all.
   */
  private static byte[] nested(int depth) throws Exception {
    Object v = 0;
    for (int i = 0; i < depth; i++) {
      v = List.of(v);
    }
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("view", v);
    m.put("type", "Prepare");
    return new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper().writeValueAsBytes(m);
  }

  @Test
  void theInboxDropsUndecodableMessagesAndRoutesTheRest() {
    List<ProtocolMessage> routed = new ArrayList<>();
    BehaviorTestKit<NodeInbox.Command> inbox = BehaviorTestKit.create(NodeInbox.create(routed::add));
    inbox.run(new UndecodablePeerMessage("peer", "garbage", 3));
    assertThat(routed).isEmpty();
    assertThat(inbox.isAlive()).isTrue();
    ProtocolMessage m = SampleMessages.all().get(3);
    inbox.run(new NodeInbox.PeerEnvelope(m));
    assertThat(routed).containsExactly(m);
    ProtocolMessage m2 = SampleMessages.all().get(4);
    inbox.run(new NodeInbox.PeerBundle(List.of(new NodeInbox.PeerEnvelope(m2),
        new NodeInbox.PeerEnvelope(m))));
    assertThat(routed).as("a bundle's messages, in order").containsExactly(m, m2, m);
  }

  @Test
  void dropsAreReportedOncePerPeerPerMinute() {
    AtomicLong now = new AtomicLong();
    WireDrops drops = new WireDrops(now::get);
    assertThat(drops.record("a")).isTrue();
    assertThat(drops.record("a")).isFalse();
    assertThat(drops.record("b")).as("another peer has its own minute").isTrue();
    now.addAndGet(WireDrops.REPORT_EVERY_NANOS - 1);
    assertThat(drops.record("a")).isFalse();
    now.addAndGet(1);
    assertThat(drops.record("a")).isTrue();
    assertThat(drops.from("a")).isEqualTo(4);
    assertThat(drops.total()).isEqualTo(5);
  }

  @Test
  void theJournalAndWireMappersReadWithinTheLimits() {
    var journal = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-cbor",
        Optional.empty()).getFactory().streamReadConstraints();
    assertThat(journal.getMaxNestingDepth()).isEqualTo(ReadLimits.MAX_NESTING_DEPTH);
    assertThat(journal.getMaxNumberLength()).isEqualTo(ReadLimits.MAX_NUMBER_LENGTH);
    assertThat(journal.getMaxStringLength()).isEqualTo(ReadLimits.MAX_STRING_LENGTH);
    assertThat(WireLimits.maxMessageBytes(64, 65536)).isEqualTo(5_046_272L)
        .isEqualTo(system.settings().config().getBytes(
            "pekko.remote.artery.advanced.maximum-frame-size"))
        .isGreaterThan(64L * (65536 + 100));
    assertThat(WireLimits.maxMessageBytes(1, 256)).isEqualTo(WireLimits.MIN_FRAME_BYTES);
  }
}
