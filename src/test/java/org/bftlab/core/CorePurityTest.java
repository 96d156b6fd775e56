package org.bftlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Architecture test (DESIGN.md §1): the consensus core is pure and deterministic — it imports no
 * Pekko (nor any library but java.*), reads no clock, starts no thread, does no I/O and uses no
 * unseeded random source. It reads the sources, comments stripped, so a violation names the file
 * and line.
 */
class CorePurityTest {
  private static final Path CORE = Path.of("src/main/java/org/bftlab/core");

  private static final List<Pattern> FORBIDDEN = List.of(
      Pattern.compile("^import (?!java\\.|org\\.bftlab\\.core\\.)"),
      Pattern.compile("\\bSystem\\.(currentTimeMillis|nanoTime)\\b"),
      Pattern.compile("\\b(Instant|LocalDateTime|LocalDate|ZonedDateTime|OffsetDateTime)\\.now\\b"),
      Pattern.compile("\\bClock\\."),
      Pattern.compile("\\bnew Thread\\b|\\bThread\\.(sleep|start|ofVirtual)\\b|\\bExecutors\\."),
      Pattern.compile("\\bCompletableFuture\\b|\\bTimer\\b"),
      Pattern.compile("\\bnew Random\\(\\)|\\bMath\\.random\\b|\\bThreadLocalRandom\\b|\\bSecureRandom\\b"),
      Pattern.compile("\\bjava\\.(io\\.File|nio\\.file|net)\\b|\\bFiles\\.|\\bSystem\\.(in|out|err|getenv|getProperty)\\b"));

  @Test
  void coreReadsNoClockStartsNoThreadDoesNoIoAndImportsOnlyJava() throws IOException {
    assertThat(CORE).isDirectory();
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> walk = Files.walk(CORE)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
        files++;
        String[] lines = stripComments(Files.readString(f)).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          for (Pattern p : FORBIDDEN) {
            if (p.matcher(lines[i].strip()).find()) {
              violations.add(CORE.relativize(f) + ":" + (i + 1) + ": " + lines[i].strip());
            }
          }
        }
      }
    }
    assertThat(files).as("core sources scanned").isGreaterThan(40);
    assertThat(violations).as("impure code in org.bftlab.core").isEmpty();
  }

  /** Removes comments but keeps line breaks, so that line numbers stay right. */
  static String stripComments(String src) {
    StringBuilder out = new StringBuilder(src.length());
    boolean block = false;
    boolean line = false;
    boolean string = false;
    for (int i = 0; i < src.length(); i++) {
      char c = src.charAt(i);
      char next = i + 1 < src.length() ? src.charAt(i + 1) : 0;
      if (block) {
        if (c == '*' && next == '/') {
          block = false;
          i++;
        } else if (c == '\n') {
          out.append('\n');
        }
      } else if (line) {
        if (c == '\n') {
          line = false;
          out.append('\n');
        }
      } else if (string) {
        out.append(c);
        if (c == '\\') {
          out.append(next);
          i++;
        } else if (c == '"') {
          string = false;
        }
      } else if (c == '/' && next == '*') {
        block = true;
        i++;
      } else if (c == '/' && next == '/') {
        line = true;
        i++;
      } else {
        if (c == '"') {
          string = true;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
