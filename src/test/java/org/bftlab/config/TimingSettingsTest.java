package org.bftlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 8: the view-change timeout T, the checkpoint re-announce period, the state-transfer
 * batch and the journal recovery timeout are settings under {@code bftlab.*}, read once into
 * {@link ProtocolTuning} / {@link JournalSettings}, validated, with the former constants as
 * defaults.
 */
class TimingSettingsTest {
  private static NodeSettings read(String overrides) {
    Config c = ConfigFactory.parseString(overrides).withFallback(ConfigLoader.defaults())
        .resolve();
    return NodeSettings.from(c);
  }

  private static ProtocolParams params(NodeSettings s) {
    return s.protocol().toParams("c", NodeId.range(4));
  }

  @Test
  void defaultsAreTheFormerConstants() {
    NodeSettings s = read("");
    ProtocolParams p = params(s);
    assertThat(p.viewChangeTimeoutTicks()).as("T = 4 × retransmit-ticks")
        .isEqualTo(4 * p.retransmitTicks()).isEqualTo(200);
    assertThat(p.checkpointAnnounceTicks()).isEqualTo(200);
    assertThat(p.stateTransferBatch()).isEqualTo(64);
    assertThat(s.journal().recoveryTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p).isEqualTo(ProtocolParams.defaults("c", 4));
  }

  @Test
  void zeroFollowsRetransmitTicksAndExplicitValuesWin() {
    ProtocolParams follows = params(read("bftlab.protocol.retransmit-ticks = 20"));
    assertThat(follows.viewChangeTimeoutTicks()).isEqualTo(80);
    assertThat(follows.checkpointAnnounceTicks()).isEqualTo(80);

    NodeSettings s = read("bftlab.protocol { view-change-timeout-ticks = 350, "
        + "checkpoint-announce-ticks = 120, state-transfer-batch = 16 }\n"
        + "bftlab.journal.recovery-timeout = 90s");
    ProtocolParams p = params(s);
    assertThat(p.viewChangeTimeoutTicks()).isEqualTo(350);
    assertThat(p.checkpointAnnounceTicks()).isEqualTo(120);
    assertThat(p.stateTransferBatch()).isEqualTo(16);
    assertThat(s.journal().recoveryTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void badValuesAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> read("bftlab.protocol.view-change-timeout-ticks = -1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bftlab.protocol.view-change-timeout-ticks");
    assertThatThrownBy(() -> read("bftlab.protocol.checkpoint-announce-ticks = -5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bftlab.protocol.checkpoint-announce-ticks");
    assertThatThrownBy(() -> read("bftlab.protocol.state-transfer-batch = 0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bftlab.protocol.state-transfer-batch");
    assertThatThrownBy(() -> read("bftlab.journal.recovery-timeout = 0s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bftlab.journal.recovery-timeout");
    assertThatThrownBy(() -> read("bftlab.protocol.view-change-timeout-ticks = soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("view-change-timeout-ticks");
    assertThatThrownBy(() -> new ProtocolParams("c", NodeId.range(4), 64, 2, 16, 32, 50, 65536,
        4, 0, 200, 64)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("viewChangeTimeoutTicks");
  }
}
