package org.bftlab.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.bftlab.api.ApiError;
import org.bftlab.api.Gateway;
import org.bftlab.api.TransactionBody;
import org.bftlab.codec.Json;
import org.bftlab.codec.SampleMessages;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.Genesis;
import org.bftlab.transport.NodeInbox;
import org.bftlab.transport.UndecodablePeerMessage;
import org.bftlab.sim.scenario.ScenarioException;
import org.bftlab.sim.scenario.ScenarioLoader;

/**
 * The fuzz campaign (issue 13): valid inputs from outside — HTTP transaction bodies, every
 * protocol message type in CBOR, genesis files, scenario files — mutated by {@link Mutator}
 * (bit flips, truncation, insertion, deletion, duplication, swapped fields, oversizing, nesting,
 * control characters). Each case asserts that no exception escapes the decoder (the actor would
 * restart), that a refusal is a documented error, and that nothing unsigned gets through: a
 * mutated transaction is admitted only if its client signature verifies, a mutated peer message
 * that decodes verifies only if it still carries exactly the bytes its sender signed — so no
 * quorum can count it and the chain cannot change.
 *
 * <p>2,500 cases per property in {@code mvn verify} (10^4 in all), 25,000 with {@code -Pfuzz}
 * (10^5). jqwik prints each property's seed; replay one with {@code @Property(seed = "…")} or
 * {@code -Djqwik.seeds.whenfixed=ALLOW}; a failing sample is a single {@code long} mutation seed,
 * replayable as {@code Mutator.mutate(input, seed)}.
 */
class FuzzCampaign {
  static final ProtocolParams PARAMS = new ProtocolParams(SampleMessages.CLUSTER,
      NodeId.range(4), 64, 2, 16, 32, 50, 65536);
  static final Gateway GATEWAY = new Gateway(PARAMS, SampleMessages.AUTH);
  static final Set<String> GATEWAY_CODES = Set.of(ApiError.MALFORMED, ApiError.TOO_LARGE,
      "WRONG_CLUSTER", "BAD_SIGNATURE", "UNKNOWN_CLIENT");
  static final List<ProtocolMessage> MESSAGES = SampleMessages.all();

  static ActorSystem<Void> system;
  static SerializerWithStringManifest wire;
  static List<byte[]> encoded;
  static byte[] body;
  static String genesis;
  static String scenario;

  @BeforeContainer
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "fuzz", ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = ERROR\n"
            + "pekko.loggers = [\"org.apache.pekko.event.Logging$DefaultLogger\"]")
        .withFallback(ConfigFactory.load()));
    wire = (SerializerWithStringManifest) SerializationExtension.get(system)
        .serializerFor(NodeInbox.PeerEnvelope.class);
    encoded = MESSAGES.stream().map(m -> wire.toBinary(new NodeInbox.PeerEnvelope(m))).toList();
    body = Json.mapper().writeValueAsBytes(TransactionBody.of(SampleMessages.request(42)));
    genesis = Files.readString(Path.of("cluster-configs/local-4/genesis.json"));
    scenario = Files.readString(Path.of("scenarios/equivocating-primary.yaml"));
  }

  @AfterContainer
  static void stop() {
    system.terminate();
  }

  @Property
  void mutatedTransactionBodiesAreRefusedOrCarryAValidSignature(@ForAll long seed) {
    byte[] mutant = Mutator.mutate(body, seed);
    Gateway.Admission a = GATEWAY.admit(mutant);
    if (a instanceof Gateway.Admission.Refused r) {
      assertThat(GATEWAY_CODES).as("documented code, seed %d", seed).contains(r.error().error());
      assertThat(r.error().message()).isNotBlank();
    } else {
      Request admitted = ((Gateway.Admission.Admitted) a).request();
      assertThat(admitted.verify(SampleMessages.AUTH)).as("admitted unsigned, seed %d", seed)
          .isTrue();
    }
  }

  @Property
  void mutatedPeerMessagesAreDroppedOrCarryTheirSendersSignature(@ForAll long seed)
      throws Exception {
    int which = (int) Math.floorMod(seed, (long) MESSAGES.size());
    ProtocolMessage original = MESSAGES.get(which);
    byte[] mutant = Mutator.mutate(encoded.get(which), seed);
    Object decoded = wire.fromBinary(mutant, wire.manifest(new NodeInbox.PeerEnvelope(original)));
    if (decoded instanceof UndecodablePeerMessage u) {
      assertThat(u.reason()).isNotBlank();
      return;
    }
    ProtocolMessage m = ((NodeInbox.PeerEnvelope) decoded).message();
    boolean verifies = m instanceof ReplicaMessage rm
        ? rm.verify(SampleMessages.CLUSTER, SampleMessages.AUTH)
        : ((Request) m).verify(SampleMessages.AUTH);
    if (verifies) {
      byte[] signed = m instanceof ReplicaMessage rm ? rm.signedBytes(SampleMessages.CLUSTER)
          : ((Request) m).signedBytes();
      boolean sameAsSomeOriginal = MESSAGES.stream().anyMatch(o -> Arrays.equals(signed,
          o instanceof ReplicaMessage ro ? ro.signedBytes(SampleMessages.CLUSTER)
              : ((Request) o).signedBytes()));
      assertThat(sameAsSomeOriginal).as("a forged %s verifies, seed %d", m.type(), seed).isTrue();
    }
  }

  @Property
  void mutatedGenesisFilesAreRefusedWithAReason(@ForAll long seed) {
    String mutant = new String(Mutator.mutate(genesis.getBytes(StandardCharsets.UTF_8), seed),
        StandardCharsets.UTF_8);
    try {
      Genesis g = Genesis.fromJson(mutant);
      assertThat(g.n()).isGreaterThanOrEqualTo(4);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).as("seed %d", seed).isNotBlank();
    }
  }

  @Property
  void mutatedScenarioFilesAreRefusedWithAReason(@ForAll long seed) {
    String mutant = new String(Mutator.mutate(scenario.getBytes(StandardCharsets.UTF_8), seed),
        StandardCharsets.UTF_8);
    try {
      assertThat(ScenarioLoader.parse(mutant, "fuzz-" + seed)).isNotNull();
    } catch (ScenarioException | IllegalArgumentException e) {
      assertThat(e.getMessage()).as("seed %d", seed).isNotBlank();
    }
  }
}
