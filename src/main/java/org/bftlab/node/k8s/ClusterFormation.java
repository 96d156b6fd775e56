package org.bftlab.node.k8s;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms the Pekko cluster through Pekko Management Cluster Bootstrap with Kubernetes API
 * discovery, when {@link DiscoverySettings#bootstrap()} is on. The PBFT membership stays the
 * genesis file's: bootstrap only decides which Pekko nodes join one cluster (the transport),
 * never who is a replica.
 *
 * <p>With bootstrap off nothing changes: the seed nodes are every genesis replica
 * ({@code BftlabNode.systemConfig}).
 */
public final class ClusterFormation {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterFormation.class);

  private ClusterFormation() {}

  /**
   * Pekko settings to layer over the node's own when bootstrap is on (empty otherwise): no seed
   * nodes, remoting and management on the advertised host (the pod IP), and the required
   * contact points from f.
   */
  public static Config overrides(DiscoverySettings d, Genesis genesis, GenesisNode me) {
    if (!d.bootstrap()) {
      return ConfigFactory.empty();
    }
    Map<String, Object> m = new HashMap<>();
    String host = d.advertisedHost(me.host());
    m.put("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of()));
    m.put("pekko.remote.artery.canonical.hostname", host);
    m.put("pekko.management.http.hostname", host);
    m.put("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr",
        d.requiredContactPoints(genesis.n()));
    return ConfigFactory.parseMap(m);
  }

  /**
   * Starts Pekko Management (HTTP: {@code /bootstrap/seed-nodes}, {@code /alive},
   * {@code /cluster/members}) and Cluster Bootstrap on {@code system} when bootstrap is on.
   *
   * @throws IllegalStateException when the management endpoint cannot be bound
   */
  public static void start(ActorSystem<?> system, DiscoverySettings d) {
    if (!d.bootstrap()) {
      return;
    }
    try {
      PekkoManagement.get(system.classicSystem()).start().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Pekko Management did not start: " + e.getMessage(), e);
    }
    ClusterBootstrap.get(system.classicSystem()).start();
    var c = system.settings().config();
    LOG.info("cluster bootstrap started: service {}, management {}:{}, {} contact points required",
        c.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"),
        c.getString("pekko.management.http.hostname"), c.getInt("pekko.management.http.port"),
        c.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
  }
}
