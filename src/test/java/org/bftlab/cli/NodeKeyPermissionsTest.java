package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.node.NodeExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bftlab node} on a private key others may read: exit code 2, the fix on stderr. */
class NodeKeyPermissionsTest {
  @TempDir Path dir;

  @Test
  void aNodeRefusesToStartOnAGroupReadableKey() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    CryptoGen.generate(CryptoGen.Options.defaults(dir).withPorts(1, 100));
    Path key = dir.resolve("nodes/node-0.key");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    Path conf = dir.resolve("node-0.conf");
    Files.writeString(conf, "bftlab.node-id = node-0\nbftlab.genesis = \""
        + dir.resolve("genesis.json") + "\"\nbftlab.data-dir = \"" + dir.resolve("data") + "\"\n");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new NodeCommand()).execute("--config", conf.toString());
    } finally {
      System.setErr(err);
    }
    assertThat(code).isEqualTo(NodeExit.BAD_CONFIGURATION).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains(key.toString()).contains("mode 0640").contains("chmod 600 " + key);
    assertThat(dir.resolve("data")).as("nothing started").doesNotExist();
  }
}
