package org.bftlab.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bftlab.codec.Json;
import org.bftlab.core.Event;
import org.bftlab.core.Signal;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.trace.TraceEvent.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live node's trace: the simulator's {@link TraceEvent} lines (sends, deliveries, persisted
 * events, volatile events such as rejections, signals, submissions) with one more field,
 * {@code "time"} (the node's wall clock, epoch milliseconds), right after {@code "tick"} (the
 * node's ticks since it started). Written as NDJSON to {@code <dir>/trace-NNNNNN.ndjson}, a new
 * file every {@code maxFileBytes} (numbers go on across restarts; the oldest beyond
 * {@code maxFiles} is deleted). The first line of each start is {@code run} (n, f, cluster id),
 * followed by {@code restart} when the node started on an existing journal.
 *
 * <p>Reporting threads (actors, HTTP) only enqueue an immutable line (the message, event or
 * signal is an immutable record); one writer thread serialises and writes, flushing whenever the
 * queue is empty. When the queue is full the line is dropped and counted ({@link #dropped()}),
 * never blocking an actor. {@link #close()} writes an {@code end} line and flushes.
 */
public final class LiveTrace implements NodeEvents, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTrace.class);
  private static final ObjectMapper MAPPER = Json.mapper();
  /** Volatile events too frequent to be worth a line (as in the simulator). */
  private static final Set<String> QUIET = Set.of("Ticked", "RequestQueued", "BatchesDelivered",
      "StateTransferTicked", "StatusSent");
  private static final Line STOP = new Line(0, 0, null, null, null, null, null, null);

  private record Line(long nanos, long time, Kind kind, String component, String name,
      String peer, String detail, Object data) {}

  private final String node;
  private final Path dir;
  private final long maxFileBytes;
  private final int maxFiles;
  private final long origin = System.nanoTime();
  private final long tickNanos;
  private final BlockingQueue<Line> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private OutputStream out;
  private long fileBytes;
  private int fileNumber;
  private long seq;

  /**
   * Starts the writer thread and writes the {@code run} line (and {@code restart}).
   *
   * @param dir the trace directory (created), e.g. {@code <data-dir>/trace}
   * @param tick one protocol tick
   * @param run n, f and the cluster id (seed and workload fields 0: a live run has none)
   * @param restarted the node started on an existing journal
   * @throws IOException when the directory or the first file cannot be created
   */
  public LiveTrace(NodeId self, Path dir, long maxFileBytes, int maxFiles, int queueLines,
      Duration tick, RunInfo run, boolean restarted) throws IOException {
    this.node = self.toString();
    this.dir = Files.createDirectories(dir);
    this.maxFileBytes = maxFileBytes;
    this.maxFiles = maxFiles;
    this.tickNanos = tick.toNanos();
    this.queue = new ArrayBlockingQueue<>(queueLines);
    List<Path> existing = files();
    fileNumber = existing.isEmpty() ? 0 : number(existing.get(existing.size() - 1));
    rotate();
    add(Kind.RUN, null, null, null, "live " + node + ", tick " + tick.toMillis() + " ms", run);
    if (restarted) {
      add(Kind.RESTART, null, null, null, "started on its journal", null);
    }
    writer = new Thread(this::drain, "bftlab-trace-" + node);
    writer.setDaemon(true);
    writer.start();
  }

  /** Every trace file of the directory, oldest first. */
  public List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("trace-\\d{6}\\.ndjson"))
          .sorted().toList();
    }
  }

  /** Lines dropped because the writer was behind. */
  public long dropped() {
    return dropped.get();
  }

  private static int number(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(6, 12));
  }

  private void add(Kind kind, String component, String name, String peer, String detail,
      Object data) {
    Line line = new Line(System.nanoTime(), System.currentTimeMillis(), kind, component, name,
        peer, detail, data);
    if (!queue.offer(line) && dropped.getAndIncrement() == 0) {
      LOG.warn("{}: the live trace writer is behind ({} lines queued); dropping lines"
          + " (counted in trace_lines_dropped_total)", node, queue.size());
    }
  }

  @Override
  public void persisted(String component, List<? extends Event> events, long persistNanos) {
    for (Event e : events) {
      add(Kind.PERSISTED, component, e.getClass().getSimpleName(), null, null, e);
    }
  }

  @Override
  public void applied(String component, Event event) {
    String name = event.getClass().getSimpleName();
    if (!QUIET.contains(name)) {
      add(Kind.VOLATILE, component, name, null, null, event);
    }
  }

  @Override
  public void sent(NodeId to, ProtocolMessage message) {
    add(Kind.SEND, null, message.type(), to.toString(), null, message);
  }

  @Override
  public void delivered(String component, ProtocolMessage message) {
    String from = message instanceof ReplicaMessage r ? r.sender().toString()
        : message instanceof Request q ? q.client().value() : null;
    add(Kind.DELIVER, component, message.type(), from, null, message);
  }

  @Override
  public void signalled(String component, Signal signal) {
    add(Kind.SIGNAL, component, signal.getClass().getSimpleName(), null, null, signal);
  }

  @Override
  public void submitted(Request request) {
    add(Kind.SUBMIT, null, request.type(), request.client().value(), request.txId(), request);
  }

  // ---- the writer thread ----

  private void drain() {
    try {
      while (true) {
        Line line = queue.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) {
          out.flush();
          continue;
        }
        if (line == STOP) {
          break;
        }
        write(line);
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.error("{}: the live trace stopped: cannot write to {}: {}", node, dir, e.toString());
    }
  }

  private void write(Line l) throws IOException {
    long tick = (l.nanos() - origin) / tickNanos;
    String json = MAPPER.writeValueAsString(new TraceEvent(seq, tick, l.kind().label(), node,
        l.component(), l.name(), l.peer(), l.detail(), l.data()));
    String head = "{\"seq\":" + seq + ",\"tick\":" + tick + ",";
    String withTime = json.startsWith(head)
        ? head + "\"time\":" + l.time() + "," + json.substring(head.length()) : json;
    byte[] bytes = (withTime + "\n").getBytes(StandardCharsets.UTF_8);
    seq++;
    if (fileBytes > 0 && fileBytes + bytes.length > maxFileBytes) {
      rotate();
    }
    out.write(bytes);
    fileBytes += bytes.length;
  }

  private void rotate() throws IOException {
    if (out != null) {
      out.close();
    }
    fileNumber++;
    out = new BufferedOutputStream(Files.newOutputStream(
        dir.resolve(String.format("trace-%06d.ndjson", fileNumber))), 1 << 16);
    fileBytes = 0;
    List<Path> all = files();
    for (int i = 0; i < all.size() - maxFiles; i++) {
      Files.deleteIfExists(all.get(i));
    }
  }

  /** Writes the {@code end} line, stops the writer and closes the file. */
  @Override
  public void close() {
    add(Kind.END, null, null, null, "node stopped", null);
    try {
      queue.put(STOP);
      writer.join(TimeUnit.SECONDS.toMillis(10));
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
