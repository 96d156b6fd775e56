package org.bftlab.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bftlab.codec.Json;

/**
 * An append-only list of {@link TraceEvent}s; {@link #write} renders it as NDJSON (one JSON
 * object per line, {@code \n}-terminated). Lines are kept as objects and rendered on demand, so
 * a run that is only checked pays nothing for JSON. Not thread-safe.
 */
public final class Trace {
  private static final ObjectMapper MAPPER = Json.mapper();
  private final List<TraceEvent> events = new ArrayList<>();

  /** Appends a line and returns it. */
  public TraceEvent add(long tick, TraceEvent.Kind kind, String node, String component,
      String name, String peer, String detail, Object data) {
    TraceEvent e = new TraceEvent(events.size(), tick, kind.label(), node, component, name, peer,
        detail, data);
    events.add(e);
    return e;
  }

  /** Every line, in order (read-only). */
  public List<TraceEvent> events() {
    return Collections.unmodifiableList(events);
  }

  /** Number of lines. */
  public int size() {
    return events.size();
  }

  /** One line as JSON (no newline). */
  public static String toJson(TraceEvent e) {
    try {
      return MAPPER.writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Writes every line as NDJSON to {@code out} (UTF-8). */
  public void write(OutputStream out) throws IOException {
    for (TraceEvent e : events) {
      out.write(MAPPER.writeValueAsBytes(e));
      out.write('\n');
    }
  }

  /** The whole trace as NDJSON bytes (UTF-8). */
  public byte[] toNdjson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The whole trace as an NDJSON string. */
  @Override
  public String toString() {
    return new String(toNdjson(), StandardCharsets.UTF_8);
  }

  /** Lines of {@code kind}, in order. */
  public List<TraceEvent> of(TraceEvent.Kind kind) {
    List<TraceEvent> out = new ArrayList<>();
    for (TraceEvent e : events) {
      if (e.is(kind)) {
        out.add(e);
      }
    }
    return out;
  }
}
