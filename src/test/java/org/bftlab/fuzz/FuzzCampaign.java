package org.bftlab.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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
import org.bftlab.core.Component;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.ContractCheck;
import org.bftlab.core.Event;
import org.bftlab.core.NodeRoute;
import org.bftlab.core.NodeRunner;
import org.bftlab.core.Signal;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.agreement.AgreementState;
import org.bftlab.core.election.ElectionCore;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.Genesis;
import org.bftlab.transport.NodeInbox;
import org.bftlab.transport.UndecodablePeerMessage;
import org.bftlab.sim.Fingerprint;
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

  /**
   * Mutated peer messages, decoded by the wire serializer, stepped into a running node's cores
   * ({@link NodeRunner}: backup node-2's election, agreement and block commit, contract checks
   * on), mixed with the valid originals so that the cores are past their initial state: no
   * exception escapes a core, no PRE-PREPARE / PREPARE / COMMIT is accepted unless it carries its
   * sender's signature, and nothing commits — only node-0 and node-1 ever signed, fewer than
   * the 2f+1 a commit needs.
   */
  @Property
  void mutatedPeerMessagesSteppedIntoRunningCoresKeepTheirInvariants(@ForAll long seed)
      throws Exception {
    NodeId self = new NodeId(2);
    List<AgreementEvent> accepted = new ArrayList<>();
    Deque<Map.Entry<NodeRoute.Kind, Signal>> signals = new ArrayDeque<>();
    ComponentRunner<AgreementState, AgreementEvent> agreement = new ComponentRunner<>(
        new AgreementCore(PARAMS, self, SampleMessages.AUTH), accepted::addAll);
    NodeRunner node = new NodeRunner(self,
        checked(new ElectionCore(PARAMS, self, SampleMessages.AUTH)),
        agreement.check(new ContractCheck<>(Fingerprint::of)),
        checked(new BlockCommitCore(PARAMS, self, SampleMessages.AUTH)),
        NodeRoute.overLinks(self, PARAMS.nodes(), (to, m) -> { },
            (to, sig) -> signals.add(Map.entry(to, sig))));
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < 12; i++) {
      int which = rnd.nextInt(MESSAGES.size());
      ProtocolMessage original = MESSAGES.get(which);
      byte[] bytes = rnd.nextInt(3) == 0 ? encoded.get(which)
          : Mutator.mutate(encoded.get(which), rnd.nextLong());
      Object decoded = wire.fromBinary(bytes, wire.manifest(new NodeInbox.PeerEnvelope(original)));
      if (decoded instanceof NodeInbox.PeerEnvelope env) {
        node.deliver(env.message());
      }
      if (rnd.nextInt(4) == 0) {
        node.tick(NodeRoute.Kind.values()[rnd.nextInt(NodeRoute.Kind.values().length)]);
      }
      for (int k = 0; k < 1000 && !signals.isEmpty(); k++) {
        Map.Entry<NodeRoute.Kind, Signal> next = signals.poll();
        node.signal(next.getKey(), next.getValue());
      }
    }
    for (AgreementEvent e : accepted) {
      ReplicaMessage counted = e instanceof AgreementEvent.PrePrepareAccepted a ? a.pp()
          : e instanceof AgreementEvent.PrepareAccepted a ? a.p()
          : e instanceof AgreementEvent.CommitAccepted a ? a.c() : null;
      if (counted != null && !counted.sender().equals(self)) {
        assertThat(counted.verify(SampleMessages.CLUSTER, SampleMessages.AUTH))
            .as("an unsigned %s was counted, seed %d", counted.type(), seed).isTrue();
      }
      assertThat(e).as("committed from fewer than 2f+1 signers, seed %d", seed)
          .isNotInstanceOf(AgreementEvent.CommittedLocal.class);
    }
    assertThat(node.<BlockCommitState>state(NodeRoute.Kind.BLOCK_COMMIT).height())
        .as("the chain is unchanged, seed %d", seed).isZero();
  }

  private static <S, E extends Event> ComponentRunner<S, E> checked(Component<S, E> core) {
    return new ComponentRunner<>(core, events -> { }).check(new ContractCheck<>(Fingerprint::of));
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
