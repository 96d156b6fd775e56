package org.bftlab.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4 ({@code GET /metrics}): comment
 * lines ({@code # HELP}, {@code # TYPE name counter|gauge|summary|histogram|untyped}) and samples
 * {@code name{label="value",…} value [timestamp]}. For {@code bftlab bench} and tests.
 *
 * @param samples every sample, in order
 * @param types the declared type of each metric family
 */
public record PrometheusText(List<Sample> samples, Map<String, String> types) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final List<String> TYPES =
      List.of("counter", "gauge", "summary", "histogram", "untyped");

  /** One sample: metric name, labels (in order), value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  public PrometheusText {
    samples = List.copyOf(samples);
    types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the line (1-based) that is not in the format
   */
  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      try {
        if (line.startsWith("#")) {
          comment(line, types);
        } else {
          samples.add(sample(line));
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not Prometheus text ("
            + e.getMessage() + "): " + line, e);
      }
    }
    return new PrometheusText(samples, types);
  }

  private static void comment(String line, Map<String, String> types) {
    String[] p = line.split(" ", 4);
    if (p.length >= 3 && p[1].equals("TYPE")) {
      require(NAME.matcher(p[2]).matches(), "bad metric name " + p[2]);
      require(p.length == 4 && TYPES.contains(p[3].trim()), "bad type");
      require(types.put(p[2], p[3].trim()) == null, "second TYPE for " + p[2]);
    } else if (p.length >= 3 && p[1].equals("HELP")) {
      require(NAME.matcher(p[2]).matches(), "bad metric name " + p[2]);
    }
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    require(NAME.matcher(name).matches(), "bad metric name '" + name + "'");
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        require(eq > i, "label without '='");
        String label = line.substring(i, eq);
        require(LABEL_NAME.matcher(label).matches(), "bad label name '" + label + "'");
        require(line.charAt(eq + 1) == '"', "label value not quoted");
        StringBuilder v = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            require(n == '\\' || n == '"' || n == 'n', "bad escape \\" + n);
            v.append(n == 'n' ? '\n' : n);
          } else {
            v.append(c);
          }
        }
        require(labels.put(label, v.toString()) == null, "label " + label + " twice");
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" +");
    require(rest.length == 1 || rest.length == 2, "expected a value and an optional timestamp");
    double value = switch (rest[0]) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(rest[0]);
    };
    if (rest.length == 2) {
      Long.parseLong(rest[1]);
    }
    return new Sample(name, labels, value);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  /**
   * The sum of the samples named {@code name} whose labels include {@code labels} (pairs of name
   * and value); NaN when there is none.
   */
  public double value(String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s.labels(), labels)) {
        sum += s.value();
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  private static boolean matches(Map<String, String> have, String... want) {
    for (int k = 0; k + 1 < want.length; k += 2) {
      if (!want[k + 1].equals(have.get(want[k]))) {
        return false;
      }
    }
    return true;
  }
}
