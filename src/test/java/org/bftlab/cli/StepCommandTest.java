package org.bftlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bftlab step --tui} scripted end to end through stdin and stdout: the student's path. */
class StepCommandTest {
  private static String run(String script, String... args) {
    StepCommand cmd = new StepCommand();
    cmd.in = new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = new CommandLine(cmd).execute(args);
    assertThat(code).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theStudentsPathInTheTerminal(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("path.schedule");
    String out = run(String.join("\n",
        "help",
        "deliver 999",
        "run-until committed 1",
        "show node-1",
        "back 3",
        "show node-1",
        "crash node-0",
        "request all",
        "step 12",
        "timer node-1",
        "timer node-2",
        "timer node-3",
        "run-until committed 2",
        "show node-1",
        "save " + saved,
        "quit"), "--tui");
    assertThat(out).contains("bftlab step: normal-case, n = 4, f = 1")
        .contains("#1 REQUEST client → node-0")
        .contains("run-until committed <n>")
        .contains("error: no message #999 in flight")
        .contains("node-1 is prepared for (v=0, n=1): it holds the pre-prepare and 2f = 2")
        .contains("node-1 is committed-local for (v=0, n=1)")
        .contains("every running replica is committed-local at n=1");
    String[] shows = out.split("node-1: view ");
    assertThat(shows).hasSize(4);
    Matcher done = Pattern.compile("n=1 v=0 committed-local, prepares (\\d)/2 \\(2f\\), commits "
        + "(\\d)/3 \\(2f\\+1\\)").matcher(shows[1]);
    assertThat(done.find()).as(shows[1]).isTrue();
    assertThat(Integer.parseInt(done.group(1))).isGreaterThanOrEqualTo(2);
    assertThat(Integer.parseInt(done.group(2))).isGreaterThanOrEqualTo(3);
    assertThat(shows[2]).as("three steps back").doesNotContain("n=1 v=0 committed-local, "
        + "prepares " + done.group(1) + "/2 (2f), commits " + done.group(2) + "/3");
    assertThat(out).contains("installs view 1 with primary node-1");
    assertThat(shows[3]).startsWith("1, primary (primary node-1)");
    assertThat(out).contains("every running replica is committed-local at n=2");
    assertThat(Files.readAllLines(saved)).first().asString().startsWith("# bftlab step");

    String replayed = run("show node-1\nquit\n", "--tui", "--schedule", saved.toString());
    assertThat(replayed).contains("node-1: view " + shows[3].lines().findFirst().orElseThrow());
  }

  @Test
  void anUnreadableScenarioExitsTwo(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "cluster: [");
    assertThat(new CommandLine(new StepCommand()).execute("--tui", "--scenario", bad.toString()))
        .isEqualTo(2);
  }
}
