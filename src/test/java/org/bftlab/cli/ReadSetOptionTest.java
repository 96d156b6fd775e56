package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bftlab.core.ledger.StateKey;
import org.bftlab.core.msg.ReadEntry;
import org.junit.jupiter.api.Test;

/** {@code client submit --read / --read-version}: what they parse and how bad input fails. */
class ReadSetOptionTest {
  @Test
  void parsesKeysAndVersions() {
    assertThat(ClientCommand.parseKey("portability/+4915112345678"))
        .isEqualTo(new StateKey("portability", "+4915112345678"));
    assertThat(ClientCommand.parseKey("kv/a/b")).isEqualTo(new StateKey("kv", "a/b"));
    assertThat(ClientCommand.parseReadVersion("token/client-0@3.1"))
        .isEqualTo(new ReadEntry("token", "client-0", 3, 1));
    assertThat(ClientCommand.parseReadVersion("kv/k@absent"))
        .isEqualTo(ReadEntry.absent("kv", "k"));
  }

  @Test
  void optionsMayFollowTheArguments() {
    ClientCommand.Submit submit = new ClientCommand.Submit();
    new picocli.CommandLine(submit).parseArgs("portability", "request-port", "+4915112345678",
        "client-1", "ab", "--read", "portability/+4915112345678", "--attempts", "3",
        "--read-version", "token/x@absent");
    assertThat(submit.args).containsExactly("+4915112345678", "client-1", "ab");
    assertThat(submit.reads).containsExactly("portability/+4915112345678");
    assertThat(submit.readVersions).containsExactly("token/x@absent");
    assertThat(submit.attempts).isEqualTo(3);
  }

  @Test
  void badInputSaysWhatIsExpected() {
    assertThatThrownBy(() -> ClientCommand.parseKey("token"))
        .hasMessageContaining("CONTRACT/KEY");
    assertThatThrownBy(() -> ClientCommand.parseReadVersion("token/client-0"))
        .hasMessageContaining("CONTRACT/KEY@HEIGHT.INDEX");
    assertThatThrownBy(() -> ClientCommand.parseReadVersion("token/client-0@three"))
        .hasMessageContaining("HEIGHT.INDEX (e.g. 3.0) or absent");
  }
}
