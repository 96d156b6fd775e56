package org.bftlab.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Prepare;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisNode;
import org.bftlab.node.BftlabNode;
import org.bftlab.transport.NodeInbox;

/**
 * A process that is not a replica trying what issue 7 found possible: it joins the Pekko cluster
 * of the replicas (seed nodes = every replica), issues {@code Down} for replicas, sends PREPAREs
 * to every replica's inbox ({@code /user/inbox}), and registers itself with the receptionist as
 * {@code victim}'s inbox to receive its traffic. Runs as its own ActorSystem named like the
 * replicas' ({@value BftlabNode#SYSTEM_NAME}) in the test JVM; over plain TCP, or over TLS with
 * whatever certificate it is given (trusting every peer).
 */
final class Impostor implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final Genesis genesis;
  private final NodeId victim;
  private final byte[] key;
  private final AtomicInteger hijacked = new AtomicInteger();
  private final AtomicInteger replicaInboxesSeen = new AtomicInteger();
  private int prepares;

  /**
   * @param certificate PEM certificate to present, or null for plain TCP
   * @param privateKey PEM Ed25519 key of {@code certificate} (also signs its PREPAREs), or null
   * @param port its canonical Pekko port on 127.0.0.1
   */
  Impostor(String name, Genesis genesis, NodeId victim, Path certificate, Path privateKey,
      byte[] signingKey, int port) {
    this.genesis = genesis;
    this.victim = victim;
    this.key = signingKey;
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    m.put("pekko.remote.artery.canonical.port", port);
    m.put("pekko.remote.artery.transport", certificate == null ? "tcp" : "tls-tcp");
    if (certificate != null) {
      m.put("pekko.remote.artery.ssl.ssl-engine-provider",
          ImpostorSslEngineProvider.class.getName());
      m.put("pekko.remote.artery.ssl.impostor.certificate", certificate.toString());
      m.put("pekko.remote.artery.ssl.impostor.private-key", privateKey.toString());
    }
    m.put("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds(genesis)));
    m.put("pekko.cluster.jmx.enabled", "off");
    m.put("pekko.loglevel", "WARNING");
    Config config = ConfigFactory.parseMap(m).withFallback(ConfigLoader.defaults()).resolve();
    this.system = ActorSystem.create(guardian(), BftlabNode.SYSTEM_NAME, config);
    system.log().info("impostor {} started on port {}", name, port);
  }

  private static List<String> seeds(Genesis g) {
    return g.nodes().stream()
        .map(n -> "pekko://" + BftlabNode.SYSTEM_NAME + "@" + n.host() + ":" + n.pekkoPort())
        .toList();
  }

  private static Address address(GenesisNode n) {
    return new Address("pekko", BftlabNode.SYSTEM_NAME, n.host(), n.pekkoPort());
  }

  private Behavior<Void> guardian() {
    return Behaviors.setup(ctx -> {
      // the "received a copy of node-3's traffic" attack: register as the victim's inbox
      var fakeInbox = ctx.spawn(Behaviors.receive(NodeInbox.Command.class)
          .onAnyMessage(msg -> {
            hijacked.incrementAndGet();
            return Behaviors.same();
          }).build(), "inbox");
      ctx.getSystem().receptionist().tell(Receptionist.register(NodeInbox.key(victim), fakeInbox));
      // would list the replicas' inboxes if it ever joined
      var listener = ctx.spawn(Behaviors.receive(Receptionist.Listing.class)
          .onAnyMessage(listing -> {
            for (NodeId n : genesis.nodeIds()) {
              if (listing.isForKey(NodeInbox.key(n))) {
                long real = listing.getServiceInstances(NodeInbox.key(n)).stream()
                    .filter(r -> !r.path().address().hasLocalScope()).count();
                if (real > 0) {
                  replicaInboxesSeen.incrementAndGet();
                }
              }
            }
            return Behaviors.same();
          }).build(), "listener");
      for (NodeId n : genesis.nodeIds()) {
        ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeInbox.key(n), listener));
      }
      return Behaviors.empty();
    });
  }

  /** Asks the first replica to let it join. */
  void join() {
    Cluster.get(system).manager().tell(Join.create(address(genesis.nodes().get(0))));
  }

  /** One round of the attack: join, down two replicas, a PREPARE to every replica's inbox. */
  void attack() {
    Cluster cluster = Cluster.get(system);
    join();
    for (GenesisNode n : genesis.nodes().subList(genesis.n() - 2, genesis.n())) {
      cluster.manager().tell(Down.apply(address(n)));
    }
    Authenticator auth = new SigningOnly(key);
    for (GenesisNode n : genesis.nodes()) {
      Prepare p = Prepare.sign(genesis.clusterId(), 0, 1 + prepares, Digest.sha256(
          ("impostor " + prepares).getBytes(StandardCharsets.UTF_8)), victim, auth);
      system.classicSystem().actorSelection(address(n) + "/user/inbox")
          .tell(new NodeInbox.PeerEnvelope(p), ActorRef.noSender());
      prepares++;
    }
  }

  /** Replicas (genesis addresses) in this impostor's view of the cluster membership. */
  Set<String> replicasInItsMembership() {
    Set<String> replicas = genesis.nodes().stream().map(n -> address(n).toString())
        .collect(Collectors.toSet());
    Set<String> seen = new TreeSet<>();
    for (Member m : Cluster.get(system).state().getMembers()) {
      if (replicas.contains(m.address().toString())) {
        seen.add(m.address() + " " + m.status());
      }
    }
    return seen;
  }

  /** Messages that reached its fake inbox (a replica's traffic meant for the victim). */
  int hijackedMessages() {
    return hijacked.get();
  }

  /** Receptionist listings that showed it a replica's inbox. */
  int replicaInboxesSeen() {
    return replicaInboxesSeen.get();
  }

  /** PREPAREs it sent. */
  int preparesSent() {
    return prepares;
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Signs with the impostor's key; verifies nothing. */
  private record SigningOnly(byte[] key) implements Authenticator {
    @Override
    public byte[] sign(byte[] payload) {
      return Ed25519.sign(key, payload);
    }

    @Override
    public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
      return false;
    }

    @Override
    public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
      return false;
    }

    @Override
    public boolean knowsClient(ClientId client) {
      return false;
    }
  }

}
