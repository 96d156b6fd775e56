package org.bftlab.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bftlab.codec.Json;
import org.bftlab.core.Signal;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * The traces of a live run ({@link LiveTrace} files of several nodes, several starts each) merged
 * into one {@link Trace} that the simulator's checkers judge unchanged: lines ordered by wall
 * clock (then node, then the node's own order), ticks re-based on the run's first line
 * ({@code (time - first time) / tick}), one {@code run} line first whose workload fields come
 * from the submissions seen ({@link RunInfo#distinctTransactions()}) and whose liveness bound is
 * given, the nodes' own {@code run} lines dropped. Each line's {@code data} is read back into the
 * type the simulator puts there: a protocol message, an event, a signal, a request.
 */
public final class LiveRun {
  private static final ObjectMapper MAPPER = Json.mapper();

  private LiveRun() {}

  /** One line read back, with its wall-clock time. */
  record Read(long time, String node, long seq, int file, TraceEvent event) {}

  /**
   * Reads every {@code trace-*.ndjson} under {@code dirs} (recursively) and merges them.
   *
   * @param tickMillis the length of one tick of the merged trace, in ms
   * @param livenessBoundTicks every submitted transaction must commit within this many ticks
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException when no trace file is found, or a line (named by file and
   *     line number) is not a trace line
   */
  public static Trace merge(List<Path> dirs, long tickMillis, long livenessBoundTicks)
      throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path d : dirs) {
      try (Stream<Path> s = Files.walk(d)) {
        s.filter(p -> p.getFileName().toString().matches("trace-\\d{6}\\.ndjson"))
            .sorted().forEach(files::add);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no trace-NNNNNN.ndjson file under " + dirs
          + " (is bftlab.trace.enabled on?)");
    }
    List<Read> lines = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      read(files.get(i), i, lines);
    }
    lines.sort(Comparator.comparingLong(Read::time).thenComparing(Read::node)
        .thenComparingInt(Read::file).thenComparingLong(Read::seq));
    RunInfo first = null;
    Set<String> submitted = new HashSet<>();
    for (Read r : lines) {
      if (r.event().is(Kind.RUN) && first == null) {
        first = (RunInfo) r.event().data();
      } else if (r.event().is(Kind.SUBMIT)) {
        submitted.add(r.event().detail());
      }
    }
    if (first == null) {
      throw new IllegalArgumentException("no run line in " + files);
    }
    long t0 = lines.get(0).time();
    Trace trace = new Trace();
    trace.add(0, Kind.RUN, null, null, null, null, "live run merged from " + files.size()
        + " files", new RunInfo(first.seed(), first.n(), first.f(), first.clusterId(),
        first.scheme(), submitted.size(), submitted.size(), livenessBoundTicks));
    for (Read r : lines) {
      TraceEvent e = r.event();
      if (!e.is(Kind.RUN)) {
        trace.add((r.time() - t0) / tickMillis, kindOf(e.kind()), e.node(), e.component(),
            e.name(), e.peer(), e.detail(), e.data());
      }
    }
    return trace;
  }

  private static Kind kindOf(String label) {
    for (Kind k : Kind.values()) {
      if (k.label().equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown kind " + label);
  }

  private static void read(Path file, int index, List<Read> into) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int number = 0;
      while ((text = in.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        try {
          into.add(line(MAPPER.readTree(text), index));
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException(file + " line " + number + " is not a trace line: "
              + e.getMessage(), e);
        }
      }
    }
  }

  /** A line of {@link LiveTrace} (or of the simulator, time then 0) back as a typed event. */
  static Read line(JsonNode n, int file) throws IOException {
    String kind = n.path("kind").asText();
    JsonNode d = n.get("data");
    String name = text(n, "name");
    Object data = null;
    if (d != null && !d.isNull()) {
      data = kind.equals("run") ? MAPPER.treeToValue(d, RunInfo.class)
          : typed(d, kind, text(n, "component"), name);
    }
    TraceEvent e = new TraceEvent(n.path("seq").asLong(), n.path("tick").asLong(), kind,
        text(n, "node"), text(n, "component"), name, text(n, "peer"), text(n, "detail"), data);
    // a simulator line has no wall clock: its tick stands in (merge with one ms per tick)
    long time = n.has("time") ? n.get("time").asLong() : e.tick();
    return new Read(time, e.node() == null ? "" : e.node(), e.seq(), file, e);
  }

  /**
   * The message, event, signal or request of a line. A trace writes them as their runtime class
   * (no {@code "type"} property at the top): the line's name (and component, for events, whose
   * simple names repeat across components) says which record it is.
   */
  private static Object typed(JsonNode d, String kind, String component, String name)
      throws IOException {
    String key = switch (kind) {
      case "send", "deliver", "drop", "submit" -> name == null ? null
          : "msg:" + name.replace("-", "").toUpperCase(java.util.Locale.ROOT);
      case "persisted", "volatile" -> component + ":" + name;
      case "signal" -> "signal:" + name;
      default -> null;
    };
    Class<?> type = key == null ? null : TYPES.get(key);
    if (type == null || !d.isObject() || hasTypeComponent(type)) {
      // a record with its own "type" component (block-commit's Rejected) cannot take the type
      // id below without losing it (read back, it failed: "type" null); no checker reads one
      return d;
    }
    com.fasterxml.jackson.databind.node.ObjectNode withType =
        ((com.fasterxml.jackson.databind.node.ObjectNode) d).deepCopy();
    withType.put("type", type.getName().substring(type.getPackageName().length() + 1));
    // a record's absent optional part is written as null or left out (e.g. a passively learnt
    // PrePrepareAccepted has no ownPrepare): read it back as null, as it was
    return MAPPER.readerFor(type)
        .without(com.fasterxml.jackson.databind.DeserializationFeature
            .FAIL_ON_NULL_CREATOR_PROPERTIES).readValue(withType);
  }

  private static boolean hasTypeComponent(Class<?> c) {
    return c.isRecord() && java.util.Arrays.stream(c.getRecordComponents())
        .anyMatch(rc -> rc.getName().equals("type"));
  }

  /** Every concrete record of the traced hierarchies, by {@link #typed}'s key. */
  private static final java.util.Map<String, Class<?>> TYPES = types();

  private static java.util.Map<String, Class<?>> types() {
    java.util.Map<String, Class<?>> m = new java.util.HashMap<>();
    leaves(ProtocolMessage.class, c -> m.put("msg:"
        + c.getSimpleName().toUpperCase(java.util.Locale.ROOT), c));
    leaves(Signal.class, c -> m.put("signal:" + c.getSimpleName(), c));
    leaves(org.bftlab.core.agreement.AgreementEvent.class,
        c -> m.put("agreement:" + c.getSimpleName(), c));
    leaves(org.bftlab.core.election.ElectionEvent.class,
        c -> m.put("election:" + c.getSimpleName(), c));
    leaves(org.bftlab.core.ledger.BlockCommitEvent.class,
        c -> m.put("block-commit:" + c.getSimpleName(), c));
    return java.util.Map.copyOf(m);
  }

  private static void leaves(Class<?> root, java.util.function.Consumer<Class<?>> each) {
    Class<?>[] subs = root.getPermittedSubclasses();
    if (subs == null) {
      each.accept(root);
      return;
    }
    for (Class<?> sub : subs) {
      leaves(sub, each);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
