package org.bftlab.node.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisClient;
import org.bftlab.crypto.GenesisNode;
import org.junit.jupiter.api.Test;

class DiscoverySettingsTest {
  @Test
  void theDefaultsOutsideKubernetesAreTheGenesisSeedNodes() {
    DiscoverySettings d = DiscoverySettings.from(ConfigLoader.defaults().resolve());
    assertThat(d.bootstrap()).isFalse();
    assertThat(d.nodeIdFromHostname()).isFalse();
    Config c = ConfigFactory.parseString("bftlab.node-id = node-2");
    assertThat(d.applyNodeId(c)).isSameAs(c);
  }

  @Test
  void aStatefulSetPodNameGivesTheReplicaId() {
    assertThat(DiscoverySettings.nodeIdOf("bftlab-3")).isEqualTo(new NodeId(3));
    assertThat(DiscoverySettings.nodeIdOf("bftlab-12.bftlab.ns.svc.cluster.local"))
        .isEqualTo(new NodeId(12));
    assertThat(DiscoverySettings.nodeIdOf("my-ledger-0")).isEqualTo(new NodeId(0));
    for (String bad : List.of("", "bftlab", "bftlab-", "bftlab-x", "laptop.local")) {
      assertThatThrownBy(() -> DiscoverySettings.nodeIdOf(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-<ordinal>");
    }
  }

  @Test
  void kubernetesSettingsComeFromTheEnvironmentStyleKeys() {
    Config c = ConfigFactory.parseString("""
        bftlab.node-id = node-0
        bftlab.discovery { method = kubernetes-api, node-id-from-hostname = on,
          hostname = bftlab-2, canonical-hostname = "10.1.2.3", required-contact-points = 0 }
        """);
    DiscoverySettings d = DiscoverySettings.from(c);
    assertThat(d.bootstrap()).isTrue();
    assertThat(d.applyNodeId(c).getString("bftlab.node-id")).isEqualTo("node-2");
    assertThat(d.advertisedHost("bftlab-2.bftlab")).isEqualTo("10.1.2.3");
    assertThatThrownBy(() -> DiscoverySettings.from(ConfigFactory.parseString(
        "bftlab.discovery { method = dns, node-id-from-hostname = off, hostname = \"\", "
            + "canonical-hostname = \"\", required-contact-points = 0 }")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kubernetes-api");
  }

  @Test
  void requiredContactPointsAre2fPlus1SoTwoClustersCannotForm() {
    DiscoverySettings d = new DiscoverySettings(DiscoverySettings.Method.KUBERNETES_API, true,
        "bftlab-0", "", 0);
    for (int n : new int[] {4, 7, 10}) {
      int f = (n - 1) / 3;
      int r = d.requiredContactPoints(n);
      assertThat(r).isEqualTo(2 * f + 1);
      assertThat(2 * r).as("two groups of r pods overlap").isGreaterThan(n);
      assertThat(r).as("f pods alone never form a cluster").isGreaterThan(f);
    }
    assertThat(new DiscoverySettings(DiscoverySettings.Method.KUBERNETES_API, true, "", "", 4)
        .requiredContactPoints(4)).isEqualTo(4);
  }

  @Test
  void bootstrapReplacesSeedNodesAndAdvertisesThePodIp() {
    SecureRandom random = new SecureRandom(new byte[] {1});
    List<GenesisNode> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(new GenesisNode(new NodeId(i), "bftlab-" + i + ".bftlab", 25520, 8080,
          Ed25519.generate(random).publicKeyBase64()));
    }
    Genesis g = Genesis.of("c", nodes,
        List.of(new GenesisClient(new ClientId("client-0"),
            Ed25519.generate(random).publicKeyBase64())));
    DiscoverySettings on = new DiscoverySettings(DiscoverySettings.Method.KUBERNETES_API, true,
        "bftlab-1", "10.0.0.7", 0);
    Config o = ClusterFormation.overrides(on, g, nodes.get(1));
    assertThat(o.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(o.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.7");
    assertThat(o.getString("pekko.management.http.hostname")).isEqualTo("10.0.0.7");
    assertThat(o.getInt("pekko.management.cluster.bootstrap.contact-point-discovery"
        + ".required-contact-point-nr")).isEqualTo(3);
    assertThat(ClusterFormation.overrides(DiscoverySettings.seedNodes(), g, nodes.get(1))
        .isEmpty()).isTrue();
  }
}
