package org.bftlab.core.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bftlab.core.ledger.BlockCommitState;
import org.bftlab.core.agreement.AgreementState;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Scripted interaction tests in the style of etcd-io/raft's {@code testdata/*.txt}: each file
 * under {@code src/test/resources/interaction/} is a list of blocks
 *
 * <pre>
 * command args
 * ----
 * expected output (the compact trace)
 * </pre>
 *
 * separated by blank lines; lines starting with {@code #} between blocks are comments. The
 * commands drive a small cluster of {@link org.bftlab.core.NodeRunner}s ({@link NodeCluster}):
 * {@code cluster n= k= l= retransmit= timeout=}, {@code submit <node> <client> <t>},
 * {@code deliver [max]} (run the queue, printing every delivery and every step's durable
 * events), {@code drop <TYPE|none> [from=<i>] [to=<i>] [view=<v>]} ({@code also-drop}: one
 * more rule, or-ed with the current ones), {@code tick <n> [quiet]} ({@code quiet}: durable
 * events only), {@code crash <i>}, {@code restart <i>}, {@code compact <i>}, {@code status}.
 * With {@code -Dbftlab.rewrite=true} the files are rewritten with the actual output (for an
 * intended change; review the diff).
 */
class InteractionTest {
  private static final Path DIR = Path.of("src/test/resources/interaction");
  private static final boolean REWRITE = Boolean.getBoolean("bftlab.rewrite");

  @TestFactory
  Stream<DynamicTest> scripts() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertThat(files).as("interaction scripts in " + DIR).isNotEmpty();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
        () -> run(f)));
  }

  private record Block(List<String> comments, String command, String expected) {}

  private static void run(Path file) throws IOException {
    List<Block> blocks = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    Script script = new Script();
    StringBuilder rewritten = new StringBuilder();
    List<String> mismatches = new ArrayList<>();
    for (Block b : blocks) {
      String actual = script.run(b.command());
      b.comments().forEach(c -> rewritten.append(c).append('\n'));
      rewritten.append(b.command()).append("\n----\n").append(actual).append('\n');
      if (!actual.equals(b.expected())) {
        mismatches.add(file.getFileName() + ": " + b.command() + "\n--- expected\n"
            + b.expected() + "\n--- actual\n" + actual);
      }
    }
    if (REWRITE) {
      Files.writeString(file, rewritten.toString().stripTrailing() + "\n");
      return;
    }
    assertThat(mismatches).as("rewrite with -Dbftlab.rewrite=true if intended").isEmpty();
  }

  private static List<Block> parse(List<String> lines) {
    List<Block> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      List<String> comments = new ArrayList<>();
      while (i < lines.size() && (lines.get(i).isBlank() || lines.get(i).startsWith("#"))) {
        if (lines.get(i).startsWith("#")) {
          comments.add(lines.get(i));
        }
        i++;
      }
      if (i >= lines.size()) {
        break;
      }
      String command = lines.get(i++);
      if (i >= lines.size() || !lines.get(i).equals("----")) {
        throw new IllegalArgumentException("expected ---- after '" + command + "'");
      }
      i++;
      StringBuilder expected = new StringBuilder();
      while (i < lines.size() && !lines.get(i).isEmpty()) {
        expected.append(lines.get(i++)).append('\n');
      }
      out.add(new Block(comments, command, expected.toString()));
    }
    return out;
  }

  /** The cluster a script drives. */
  private static final class Script {
    private NodeCluster c;

    String run(String command) {
      String[] w = command.trim().split("\\s+");
      StringBuilder out = new StringBuilder();
      if (c != null) {
        c.log = line -> out.append(line).append('\n');
      }
      switch (w[0]) {
        case "cluster" -> {
          c = new NodeCluster(NodeCluster.params(arg(w, "n", 4), arg(w, "k", 2), arg(w, "l", 4),
              arg(w, "retransmit", 3)), arg(w, "timeout", 10));
          out.append("n=").append(c.n).append(" f=").append((c.n - 1) / 3).append('\n');
        }
        case "submit" -> {
          c.submit(Integer.parseInt(w[1]), FakeAuth.request(Integer.parseInt(w[2]),
              Long.parseLong(w[3])));
        }
        case "deliver" -> {
          int max = w.length > 1 ? Integer.parseInt(w[1]) : Integer.MAX_VALUE;
          for (int k = 0; k < max && c.step(); k++) {
            // each delivery logs itself
          }
        }
        case "drop", "also-drop" -> {
          if (w[1].equals("none")) {
            c.drop = e -> false;
          } else {
            String type = w[1];
            int from = arg(w, "from", -1);
            int to = arg(w, "to", -1);
            int view = arg(w, "view", -1);
            java.util.function.Predicate<NodeCluster.Envelope> rule =
                e -> e.message().type().equals(type)
                    && (from < 0 || e.from().index() == from)
                    && (to < 0 || e.to().index() == to)
                    && (view < 0 || viewOf(e.message()) == view);
            c.drop = w[0].equals("drop") ? rule : c.drop.or(rule);
          }
        }
        case "tick" -> {
          boolean quiet = w.length > 2 && w[2].equals("quiet");
          if (quiet) {
            c.log = line -> {
              if (line.startsWith("  ")) {
                out.append(line).append('\n');
              }
            };
          }
          c.tick(Integer.parseInt(w[1]));
        }
        case "crash" -> c.crash(Integer.parseInt(w[1]));
        case "restart" -> c.restart(Integer.parseInt(w[1]));
        case "compact" -> out.append("dropped ").append(c.compact(Integer.parseInt(w[1])))
            .append(" events\n");
        case "status" -> {
          for (int i = 0; i < c.n; i++) {
            AgreementState a = c.as(i);
            BlockCommitState l = c.ls(i);
            ElectionState e = c.es(i);
            out.append("node-").append(i).append(c.isDown(i) ? " down" : "")
                .append(": view ").append(e.view())
                .append(e.viewChangeInProgress() ? " (changing to " + e.pendingView() + ")" : "")
                .append(", h=").append(a.lowWatermark()).append(" slots=")
                .append(a.slots().size()).append(", height ").append(l.height())
                .append(", stable checkpoint ").append(l.lastStableCheckpoint())
                .append(", head ").append(l.headHash().shortHex()).append('\n');
          }
        }
        default -> throw new IllegalArgumentException("unknown command " + command);
      }
      return out.length() == 0 ? "ok\n" : out.toString();
    }

    private static long viewOf(org.bftlab.core.msg.ProtocolMessage m) {
      if (m instanceof org.bftlab.core.msg.Commit x) {
        return x.view();
      } else if (m instanceof org.bftlab.core.msg.Prepare x) {
        return x.view();
      } else if (m instanceof org.bftlab.core.msg.PrePrepare x) {
        return x.view();
      }
      return -1;
    }

    private static int arg(String[] w, String key, int dflt) {
      for (String s : w) {
        if (s.startsWith(key + "=")) {
          return Integer.parseInt(s.substring(key.length() + 1));
        }
      }
      return dflt;
    }
  }
}
