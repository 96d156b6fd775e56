package org.bftlab.lab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bftlab.codec.Json;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * The lab's own trace: one NDJSON line per fault it applied to a live cluster ({@code crash},
 * {@code pause}, {@code resume}, {@code amnesia}, {@code rule}, {@code heal}), in the shape of a
 * {@code LiveTrace} line ({@code seq, tick, time, kind, node, name, detail}; {@code time} in epoch
 * ms), written to {@code <dir>/trace-000000.ndjson}. A live node cannot record its own
 * {@code kill -9} or SIGSTOP; these lines tell the checkers ({@code LiveRun} merges them with the
 * nodes' traces) which replicas count toward f, as the simulator's fault lines do. A restart
 * needs no line here: the node writes {@code restart} itself when it starts on its journal.
 * Thread-safe; every line is flushed at once.
 */
final class LabTrace implements AutoCloseable {
  private final Writer out;
  private long seq;

  /** Creates {@code dir} and its trace file (fails when the file exists). */
  LabTrace(Path dir) throws IOException {
    Files.createDirectories(dir);
    out = Files.newBufferedWriter(dir.resolve("trace-000000.ndjson"), StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE_NEW);
  }

  /** One line now; {@code node}, {@code name}, {@code detail} may be null. */
  synchronized void line(Kind kind, String node, String name, String detail) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("seq", seq++);
    n.put("tick", 0);
    n.put("time", System.currentTimeMillis());
    n.put("kind", kind.label());
    if (node != null) {
      n.put("node", node);
    }
    if (name != null) {
      n.put("name", name);
    }
    if (detail != null) {
      n.put("detail", detail);
    }
    try {
      out.write(Json.mapper().writeValueAsString(n));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the lab trace", e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
