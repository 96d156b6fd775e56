package org.bftlab.trace.svg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bftlab.core.Event;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.trace.Mark;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * Renders a run's {@link Trace} as an SVG sequence (Lamport) diagram, the whole run or a {@link
 * DiagramWindow}. Reads trace lines only: {@code send} and its {@code deliver} (an arrow from
 * the sender's lane to the receiver's), {@code drop} by a network rule or a Byzantine strategy
 * (an arrow ending half-way in ✕), a send lost at a down receiver (dashed, ✕ on its lane),
 * {@code submit} and the matching {@code deliver} (client → node), and persisted events that
 * the stepper marks ({@link Mark#of}: pre-prepared, prepared, committed-local, executed,
 * VIEW-CHANGE sent, new view installed, stable checkpoint).
 *
 * <p>Layout, as the stepper's page ({@code step/diagram.js}): time runs down in rows; each tick
 * opens a row ({@code t=N} at the left) and every delivery, loss or mark gets a row of its own
 * whose one label stands in a column right of the lanes, so labels never overlap. A message
 * starts at the row of the event that sent it. Arrows are coloured by seqNo, VIEW-CHANGE /
 * NEW-VIEW red, CHECKPOINT / STATUS blue; each view change (from the first VIEW-CHANGE for view
 * v to the last replica installing v) is a shaded band. Element classes for tools and tests:
 * {@code lane}, {@code msg}, {@code drop}, {@code lost}, {@code mark mark-KIND}, {@code
 * msg-label} and its {@code label-box}, {@code view-change-band}, {@code legend}.
 */
public final class SequenceDiagram {
  private static final int LANE_GAP = 110;
  private static final int LEFT = 70;
  private static final int ROW = 14;
  private static final Pattern AT = Pattern.compile("^at (\\d+)");
  private static final Pattern LOST = Pattern.compile("^(\\S+) from (\\S+): node is down");

  private SequenceDiagram() {}

  /** One row: a tick's opening row ({@code label == null}) or an item's. */
  private record Row(long tick, String label, String colour) {}

  private static final class Arrow {
    final String from;
    final String to;
    final int start;
    final String label;
    final String colour;
    final String title;
    int end = -1;
    String fate = "delivered";

    Arrow(String from, String to, int start, String label, String colour, String title) {
      this.from = from;
      this.to = to;
      this.start = start;
      this.label = label;
      this.colour = colour;
      this.title = title;
    }
  }

  private record MarkRow(Mark mark, int row) {}

  /** Rows, arrows and marks of a window of a trace, built in one pass over its lines. */
  private static final class Layout {
    final List<Row> rows = new ArrayList<>();
    final List<Arrow> arrows = new ArrayList<>();
    final List<MarkRow> marks = new ArrayList<>();
    final Map<String, Deque<Arrow>> inFlight = new HashMap<>();
    long tick = -1;

    int now(long t) {
      if (t != tick) {
        rows.add(new Row(t, null, null));
        tick = t;
      }
      return rows.size() - 1;
    }

    int add(long t, String label, String colour) {
      now(t);
      rows.add(new Row(t, label, colour));
      return rows.size() - 1;
    }
  }

  /** The SVG document (UTF-8 text) for {@code trace} within {@code window}. */
  public static String render(Trace trace, DiagramWindow window) {
    List<TraceEvent> lines = trace.events();
    DiagramWindow w = window.restrictsSeqNos() ? span(lines, window) : window;
    Layout l = new Layout();
    for (TraceEvent e : lines) {
      if (w.showsTick(e.tick())) {
        place(l, e, w);
      }
    }
    for (Arrow a : l.arrows) {
      if (a.end < 0) {
        a.end = l.add(l.tick, a.label + " … arrives after the window", a.colour);
        a.fate = "in flight";
      }
    }
    List<String> lanes = new ArrayList<>();
    if (l.arrows.stream().anyMatch(a -> a.from.equals("clients"))) {
      lanes.add("clients");
    }
    lanes.addAll(lanes(lines));
    return new Drawing(lanes, l, (RunInfo) lines.get(0).data()).svg();
  }

  /** {@code window}'s ticks narrowed to the ticks of lines that carry one of its seqNos. */
  private static DiagramWindow span(List<TraceEvent> lines, DiagramWindow window) {
    long first = Long.MAX_VALUE;
    long last = -1;
    for (TraceEvent e : lines) {
      long n = seqNo(e.data());
      if (n < 0 && e.data() instanceof Event ev) {
        Mark m = Mark.of(0, "", ev);
        n = m == null || m.kind().equals("executed") ? -1 : m.seqNo();
      }
      if (n >= 0 && window.showsSeqNo(n) && window.showsTick(e.tick())) {
        first = Math.min(first, e.tick());
        last = Math.max(last, e.tick());
      }
    }
    return last < 0 ? window : new DiagramWindow(first, last, window.minSeqNo(),
        window.maxSeqNo());
  }

  private static void place(Layout l, TraceEvent e, DiagramWindow w) {
    long seqNo = seqNo(e.data());
    if (e.is(Kind.SEND) && !e.node().equals(e.peer()) && w.showsSeqNo(seqNo)) {
      Matcher m = AT.matcher(e.detail() == null ? "" : e.detail());
      if (m.find()) {
        Arrow a = new Arrow(e.node(), e.peer(), l.now(e.tick()), label(e, seqNo),
            colour(e.name(), seqNo), e.name() + " " + e.node() + " → " + e.peer() + " sent at "
                + e.tick() + ", " + e.detail());
        l.arrows.add(a);
        l.inFlight.computeIfAbsent(key(e.node(), e.peer(), e.name(), Long.parseLong(m.group(1))),
            k -> new ArrayDeque<>()).add(a);
      }
    } else if (e.is(Kind.SUBMIT)) {
      Arrow a = new Arrow("clients", e.node(), l.now(e.tick()), "REQUEST " + e.peer() + "→"
          + e.node(), "#555555", "REQUEST " + e.peer() + " → " + e.node() + " " + e.detail());
      l.arrows.add(a);
      l.inFlight.computeIfAbsent("submit>" + e.peer() + ">" + e.node(),
          k -> new ArrayDeque<>()).add(a);
    } else if (e.is(Kind.DELIVER)) {
      Deque<Arrow> q = l.inFlight.get("submit".equals(e.detail())
          ? "submit>" + e.peer() + ">" + e.node() : key(e.peer(), e.node(), e.name(), e.tick()));
      if (q != null && !q.isEmpty()) {
        Arrow a = q.poll();
        a.end = l.add(e.tick(), a.label, a.colour);
      }
    } else if (e.is(Kind.DROP) && e.peer() != null && e.name() != null
        && !e.node().equals(e.peer()) && w.showsSeqNo(seqNo)) {
      int row = l.add(e.tick(), label(e, seqNo) + " ✕ " + e.detail(), colour(e.name(), seqNo));
      Arrow a = new Arrow(e.peer(), e.node(), row, label(e, seqNo), colour(e.name(), seqNo),
          e.name() + " " + e.peer() + " → " + e.node() + " lost: " + e.detail());
      a.end = row;
      a.fate = "dropped";
      l.arrows.add(a);
    } else if (e.is(Kind.DROP) && e.detail() != null) {
      Matcher m = LOST.matcher(e.detail());
      Deque<Arrow> q = m.find() ? l.inFlight.get(key(m.group(2), e.node(), m.group(1), e.tick()))
          : null;
      if (q != null && !q.isEmpty()) {
        Arrow a = q.poll();
        a.end = l.add(e.tick(), a.label + " ✕ " + e.node() + " is down", a.colour);
        a.fate = "lost";
      }
    } else if (e.is(Kind.PERSISTED) && e.data() instanceof Event ev) {
      Mark m = Mark.of(0, e.node(), ev);
      if (m != null && (m.kind().equals("executed") || w.showsSeqNo(m.seqNo()))) {
        int row = l.add(e.tick(), e.node() + " " + MarkStyle.of(m.kind()).legend()
            + vn(m.view(), m.kind().equals("executed") ? -1 : m.seqNo()), "#333333");
        l.marks.add(new MarkRow(m, row));
      }
    }
  }

  private static String key(String from, String to, String type, long arrives) {
    return from + ">" + to + ">" + type + ">" + arrives;
  }

  /** Draws a {@link Layout}. */
  private record Drawing(List<String> lanes, Layout l, RunInfo run) {
    private static final int TOP = 40;

    String svg() {
      int labelX = LEFT + (lanes.size() - 1) * LANE_GAP + 40;
      int longest = l.rows.stream().mapToInt(r -> r.label() == null ? 0 : r.label().length())
          .max().orElse(0);
      int width = Math.max(labelX + longest * Svg.CHAR_PX + 20, 760);
      int legendH = Legend.height();
      int top = TOP + legendH + 40;
      int height = top + l.rows.size() * ROW + 30;
      Svg s = new Svg(width, height);
      long first = l.rows.isEmpty() ? 0 : l.rows.get(0).tick();
      long last = l.rows.isEmpty() ? 0 : l.rows.get(l.rows.size() - 1).tick();
      s.text(10, 20, "bftlab run: seed " + run.seed() + ", n = " + run.n() + ", f = " + run.f()
          + ", ticks " + first + ".." + last, "title");
      Legend.draw(s, 10, TOP, width);
      bands(s, top, labelX);
      for (int i = 0; i < l.rows.size(); i++) {
        Row r = l.rows.get(i);
        int y = y(top, i);
        if (r.label() == null) {
          s.line(0, y - ROW / 2, width, y - ROW / 2, "grid");
          s.text(8, y + 4, "t=" + r.tick(), "tick");
        } else {
          s.label(labelX, y, r.label(), r.colour());
        }
      }
      for (String lane : lanes) {
        int lx = x(lane);
        s.text(lx, top - 18, lane, "lane-name");
        s.line(lx, top - 10, lx, height - 20, "lane");
      }
      for (Arrow a : l.arrows) {
        int x1 = x(a.from);
        int x2 = x(a.to);
        int y1 = y(top, a.start);
        int y2 = y(top, a.end);
        if (a.fate.equals("dropped")) {
          int mx = (x1 + x2) / 2;
          s.arrow(x1, y1, mx, y2, a.colour, "drop", a.title, false);
          s.text(mx - 5, y2 + 5, "✕", "cross");
        } else if (a.fate.equals("delivered")) {
          s.arrow(x1, y1, x2, y2, a.colour, "msg", a.title, true);
        } else {
          s.arrow(x1, y1, x2, y2, a.colour, "lost", a.title + " (" + a.fate + ")", false);
          s.text(x2 - 5, y2 + 5, "✕", "cross");
        }
      }
      for (MarkRow m : l.marks) {
        s.mark(x(m.mark().node()) + 8, y(top, m.row()), m.mark().kind(),
            m.mark().node() + ": " + m.mark().kind() + vn(m.mark().view(), m.mark().seqNo()));
      }
      return s.finish();
    }

    /** A shaded band from the first VIEW-CHANGE for view v to the last install of v. */
    private void bands(Svg s, int top, int labelX) {
      Map<Long, int[]> span = new HashMap<>();
      for (MarkRow m : l.marks) {
        String k = m.mark().kind();
        if (k.equals("view-change") || k.equals("new-view")) {
          int[] r = span.computeIfAbsent(m.mark().view(), v -> new int[] {m.row(), m.row()});
          r[0] = Math.min(r[0], m.row());
          r[1] = Math.max(r[1], m.row());
        }
      }
      span.forEach((v, r) -> {
        s.rect(LEFT - 30, y(top, r[0]) - ROW / 2, labelX - LEFT + 10, (r[1] - r[0] + 1) * ROW,
            "#fde0e0", "view-change-band");
        s.text(LEFT - 28, y(top, r[0]) + 4, "→v" + v, "band-name");
      });
    }

    private int x(String lane) {
      int i = lanes.indexOf(lane);
      return LEFT + Math.max(i, 0) * LANE_GAP;
    }

    private static int y(int top, int row) {
      return top + row * ROW;
    }
  }

  /** node-0..node-(n-1), then any other instance (a twin {@code node-i'}) in order of appearance. */
  private static List<String> lanes(List<TraceEvent> lines) {
    RunInfo run = (RunInfo) lines.get(0).data();
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < run.n(); i++) {
      out.add("node-" + i);
    }
    for (TraceEvent e : lines) {
      if ((e.is(Kind.SEND) || e.is(Kind.PERSISTED)) && e.node() != null
          && e.node().startsWith("node-")) {
        out.add(e.node());
      }
    }
    List<String> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> {
      int c = Integer.compare(index(a), index(b));
      return c != 0 ? c : Integer.compare(a.length(), b.length());
    });
    return sorted;
  }

  private static int index(String label) {
    try {
      return Integer.parseInt(label.substring(5).replace("'", ""));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static long seqNo(Object m) {
    if (m instanceof PrePrepare p) {
      return p.seqNo();
    } else if (m instanceof Prepare p) {
      return p.seqNo();
    } else if (m instanceof Commit c) {
      return c.seqNo();
    } else if (m instanceof Checkpoint c) {
      return c.seqNo();
    }
    return -1;
  }

  private static long view(Object m) {
    if (m instanceof PrePrepare p) {
      return p.view();
    } else if (m instanceof Prepare p) {
      return p.view();
    } else if (m instanceof Commit c) {
      return c.view();
    } else if (m instanceof ViewChange v) {
      return v.newView();
    } else if (m instanceof NewView v) {
      return v.view();
    }
    return -1;
  }

  /** {@code TYPE (v=V, n=N) from→to}, as the stepper labels its arrows. */
  private static String label(TraceEvent e, long seqNo) {
    String from = e.is(Kind.SEND) ? e.node() : e.peer();
    String to = e.is(Kind.SEND) ? e.peer() : e.node();
    return e.name() + vn(view(e.data()), seqNo) + " " + from + "→" + to;
  }

  private static String vn(long v, long n) {
    if (v < 0 && n < 0) {
      return "";
    }
    return " (" + (v >= 0 ? "v=" + v : "") + (v >= 0 && n >= 0 ? ", " : "")
        + (n >= 0 ? "n=" + n : "") + ")";
  }

  /** Red for VIEW-CHANGE / NEW-VIEW, blue for CHECKPOINT / STATUS, else a hue per seqNo. */
  static String colour(String type, long seqNo) {
    if ("VIEW-CHANGE".equals(type) || "NEW-VIEW".equals(type)) {
      return "#cc0000";
    } else if ("STATUS".equals(type) || "CHECKPOINT".equals(type)) {
      return "#3399cc";
    }
    return seqNo < 0 ? "#555555" : "hsl(" + (seqNo * 67) % 360 + ", 65%, 38%)";
  }
}
