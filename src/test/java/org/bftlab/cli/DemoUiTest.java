package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bftlab demo --ui --ui-linger 0}: the run serves the live view on loopback, prints its
 * address, ends as usual, and with no linger unbinds the page before it exits. (What the page
 * shows is {@code LiveViewClusterTest}'s.) Run under {@code flock /tmp/bftlab-cluster.lock}.
 */
class DemoUiTest {
  @Test
  void theDemoServesTheLiveViewWhileItRunsAndClosesItWithoutLinger(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = new CommandLine(new DemoCommand()).execute("--ui", "--ui-port", "0",
          "--ui-linger", "0", "--transactions", "12", "--data-dir",
          dir.resolve("demo").toString());
    } finally {
      System.setErr(saved);
    }
    String progress = err.toString(StandardCharsets.UTF_8);
    System.out.print(progress);
    assertThat(code).as(progress).isZero();
    Matcher m = Pattern.compile("live view \\(read-only\\): (http://127\\.0\\.0\\.1:\\d+/\\?live)")
        .matcher(progress);
    assertThat(m.find()).as(progress).isTrue();
    assertThat(progress).doesNotContain("stays at");
    HttpClient http = HttpClient.newHttpClient();
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }
}
