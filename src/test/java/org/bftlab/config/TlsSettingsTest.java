package org.bftlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Instant;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.TlsMaterial;
import org.junit.jupiter.api.Test;

/** {@code bftlab.transport}: on by default, paths next to the genesis file, and local-4 checks out. */
class TlsSettingsTest {

  @Test
  void onByDefaultWithCertificateAndCaNextToTheGenesis() {
    var root = ConfigFactory.parseString("bftlab.node-id = node-2, bftlab.genesis = \"g/x/genesis.json\"")
        .withFallback(ConfigLoader.defaults()).resolve();
    TlsSettings tls = TlsSettings.from(root, NodeSettings.from(root));
    assertThat(tls.enabled()).isTrue();
    assertThat(tls.nodeId()).isEqualTo(new NodeId(2));
    assertThat(tls.certificate()).isEqualTo(Path.of("g/x/nodes/node-2.crt").toAbsolutePath());
    assertThat(tls.caCertificate()).isEqualTo(Path.of("g/x/ca.crt").toAbsolutePath());
    assertThat(tls.privateKey()).isEqualTo(Path.of("g/x/nodes/node-2.key").toAbsolutePath());
  }

  @Test
  void offAndExplicitPaths() {
    var root = ConfigFactory.parseString("bftlab.transport { tls = off, certificate = a.crt,"
        + " ca-certificate = b.crt }").withFallback(ConfigLoader.defaults()).resolve();
    TlsSettings tls = TlsSettings.from(root, NodeSettings.from(root));
    assertThat(tls.enabled()).isFalse();
    assertThat(tls.certificate()).isEqualTo(Path.of("a.crt"));
    assertThat(tls.caCertificate()).isEqualTo(Path.of("b.crt"));
    assertThat(tls.describe()).contains("plain TCP");
  }

  @Test
  void notABooleanIsRefusedNamingTheSetting() {
    var root = ConfigFactory.parseString("bftlab.transport.tls = maybe")
        .withFallback(ConfigLoader.defaults()).resolve();
    assertThatThrownBy(() -> TlsSettings.from(root, NodeSettings.from(root)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport.tls");
  }

  @Test
  void everyLocal4NodeHasValidTlsMaterialOnByDefault() throws Exception {
    for (int i = 0; i < 4; i++) {
      var root = ConfigLoader.load(Path.of("cluster-configs/local-4/node-" + i + ".conf"));
      TlsSettings tls = TlsSettings.from(root, NodeSettings.from(root));
      assertThat(tls.enabled()).isTrue();
      TlsMaterial m = TlsMaterial.load(tls, Instant.now());
      assertThat(m.members().identify(m.certificate())).isEqualTo(new NodeId(i));
    }
  }
}
