package org.bftlab.transport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.bftlab.codec.ReadLimits;
import org.bftlab.core.msg.ProtocolMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire format of {@link NodeInbox.PeerEnvelope}, the only message replicas send each other:
 * the protocol message in CBOR (Jackson, the same mapping as the journal's {@code jackson-cbor},
 * strict: unknown properties, null primitives and trailing data fail), read within
 * {@link ReadLimits#wire} with the document limit at Pekko Artery's {@code maximum-frame-size}.
 * The manifest names the sending system ({@code E|pekko://bftlab@host:port}). A multicast's
 * one envelope is encoded once and its bytes reused for every destination
 * ({@link NodeInbox.PeerEnvelope}).
 *
 * <p>Decoding never throws: a message that is oversized, malformed, of an unknown type, or whose
 * record refuses a value becomes an {@link UndecodablePeerMessage}, which the inbox drops. Each
 * is counted in {@link #drops()} and logged at WARN at most once per peer per minute — never a
 * crashed actor, never a vote.
 */
public final class WireSerializer extends SerializerWithStringManifest {
  private static final Logger LOG = LoggerFactory.getLogger(WireSerializer.class);
  /** This serializer's id (Pekko reserves 0..40). */
  public static final int IDENTIFIER = 7411;
  /** Manifest prefix of a {@link NodeInbox.PeerEnvelope}. */
  static final String ENVELOPE = "E|";
  /** Manifest prefix of a {@link NodeInbox.PeerBundle}. */
  static final String BUNDLE = "B|";
  /** Most messages a bundle may hold when read (the sender bundles at most the batch size). */
  static final int MAX_BUNDLE = 4096;

  private final String self;
  private final long maxBytes;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final ObjectReader bundleReader;
  private final WireDrops drops = new WireDrops();

  public WireSerializer(ExtendedActorSystem system) {
    this(JacksonObjectMapperProvider.get(system).create("bftlab-wire",
            Optional.of(new CBORFactory())),
        system.settings().config().getBytes("pekko.remote.artery.advanced.maximum-frame-size"),
        system.provider().getDefaultAddress().toString());
  }

  WireSerializer(ObjectMapper mapper, long maxBytes, String self) {
    this.maxBytes = maxBytes;
    this.self = self;
    mapper.getFactory().setStreamReadConstraints(ReadLimits.wire(maxBytes));
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
        DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.writer = mapper.writerFor(ProtocolMessage.class);
    this.reader = mapper.readerFor(ProtocolMessage.class);
    this.bundleReader = mapper.readerFor(
        mapper.getTypeFactory().constructCollectionType(List.class, ProtocolMessage.class));
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return (o instanceof NodeInbox.PeerBundle ? BUNDLE : ENVELOPE) + self;
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof NodeInbox.PeerBundle bundle) {
      return bundle(bundle);
    }
    if (!(o instanceof NodeInbox.PeerEnvelope env) || env.message() == null) {
      throw new IllegalArgumentException("WireSerializer writes PeerEnvelopes with a message, got "
          + (o == null ? "null" : o.getClass().getName()));
    }
    return env.wire(this::encode);
  }

  /**
   * A CBOR array (RFC 8949 §3.1, major type 4, definite length) whose items are the envelopes'
   * own encodings, each made once per envelope however many bundles carry it.
   */
  private byte[] bundle(NodeInbox.PeerBundle bundle) {
    List<NodeInbox.PeerEnvelope> envs = bundle.envelopes();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 * envs.size());
    int n = envs.size();
    if (n < 24) {
      out.write(0x80 | n);
    } else if (n < 256) {
      out.write(0x98);
      out.write(n);
    } else {
      out.write(0x99);
      out.write(n >>> 8);
      out.write(n & 0xff);
    }
    for (NodeInbox.PeerEnvelope env : envs) {
      out.writeBytes(env.wire(this::encode));
    }
    return out.toByteArray();
  }

  private byte[] encode(ProtocolMessage message) {
    try {
      return writer.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode " + message.type() + ": " + e, e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    String peer = manifest != null && manifest.startsWith(ENVELOPE)
        ? manifest.substring(ENVELOPE.length()) : "unknown peer";
    if (manifest != null && manifest.startsWith(BUNDLE)) {
      return bundleFromBinary(bytes, manifest.substring(BUNDLE.length()));
    }
    if (manifest == null || !manifest.startsWith(ENVELOPE)) {
      return dropped(peer, "unknown manifest '" + manifest + "'", bytes.length);
    }
    if (bytes.length > maxBytes) {
      return dropped(peer, "oversized: " + bytes.length + " bytes, more than the " + maxBytes
          + "-byte largest legal message", bytes.length);
    }
    try {
      ProtocolMessage m = reader.readValue(bytes);
      if (m == null) {
        return dropped(peer, "empty message", bytes.length);
      }
      return new NodeInbox.PeerEnvelope(m);
    } catch (IOException | RuntimeException e) {
      return dropped(peer, describe(e), bytes.length);
    }
  }

  private Object bundleFromBinary(byte[] bytes, String peer) {
    if (bytes.length > maxBytes) {
      return dropped(peer, "oversized bundle: " + bytes.length + " bytes, more than the "
          + maxBytes + "-byte frame", bytes.length);
    }
    try {
      List<ProtocolMessage> messages = bundleReader.readValue(bytes);
      if (messages == null || messages.size() < 2 || messages.size() > MAX_BUNDLE
          || messages.contains(null)) {
        return dropped(peer, "a bundle of " + (messages == null ? "no" : messages.size())
            + " messages (2 to " + MAX_BUNDLE + ", none null, expected)", bytes.length);
      }
      List<NodeInbox.PeerEnvelope> envs = new java.util.ArrayList<>(messages.size());
      for (ProtocolMessage m : messages) {
        envs.add(new NodeInbox.PeerEnvelope(m));
      }
      return new NodeInbox.PeerBundle(envs);
    } catch (IOException | RuntimeException e) {
      return dropped(peer, describe(e), bytes.length);
    }
  }

  /** Messages dropped so far, per peer. */
  public WireDrops drops() {
    return drops;
  }

  private UndecodablePeerMessage dropped(String peer, String reason, int size) {
    if (drops.record(peer)) {
      LOG.warn("dropped an undecodable message from {} ({} bytes): {}; {} dropped from it so far"
          + " (reported at most once a minute per peer)", peer, size, reason, drops.from(peer));
    }
    return new UndecodablePeerMessage(peer, reason, size);
  }

  private static String describe(Exception e) {
    String m = e instanceof com.fasterxml.jackson.core.JacksonException je
        ? je.getOriginalMessage() : e.getMessage();
    String first = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + ": "
        + (first.length() > 200 ? first.substring(0, 200) + "..." : first);
  }
}
