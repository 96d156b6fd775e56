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
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * Renders a run's {@link Trace} as an SVG sequence diagram. Reads trace lines only:
 * {@code send} (an arrow to the lane of the receiver at the delivery tick written in its detail),
 * {@code drop} by a network rule or a Byzantine strategy (an arrow ending half-way in ✕),
 * {@code submit} and the matching {@code deliver} (client → node), and the persisted events
 * {@code Prepared} (hollow circle, "P n") and {@code CommittedLocal} (filled square, "C n").
 * Arrows of PRE-PREPARE, PREPARE, COMMIT and CHECKPOINT are coloured by seqNo and labelled
 * {@code TYPE v/n}. Self-sends are not drawn. Element classes for tools and tests: {@code lane},
 * {@code msg}, {@code drop}, {@code prepared}, {@code committed}.
 */
public final class SequenceDiagram {
  private static final int LANE_GAP = 150;
  private static final int LEFT = 90;
  private static final int TOP = 60;
  private static final int TICK_PX = 28;
  private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
      "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  private static final Pattern AT = Pattern.compile("^at (\\d+)");

  private SequenceDiagram() {}

  private record Arrow(String from, String to, long sent, long arrives, String label,
      String colour, boolean dropped, String title) {}

  private record Mark(String node, long tick, long seqNo, boolean committed) {}

  /** The SVG document (UTF-8 text) for {@code trace} within {@code window}. */
  public static String render(Trace trace, DiagramWindow window) {
    List<TraceEvent> lines = trace.events();
    List<String> lanes = lanes(lines);
    List<Arrow> arrows = new ArrayList<>();
    List<Mark> marks = new ArrayList<>();
    Map<String, Deque<Long>> submits = new HashMap<>();
    long first = Long.MAX_VALUE;
    long last = 0;
    for (TraceEvent e : lines) {
      if (!window.showsTick(e.tick())) {
        continue;
      }
      if (e.is(Kind.SEND) && !e.node().equals(e.peer())) {
        long seqNo = seqNo(e.data());
        Matcher m = AT.matcher(e.detail() == null ? "" : e.detail());
        if (window.showsSeqNo(seqNo) && m.find()) {
          long at = Long.parseLong(m.group(1));
          arrows.add(new Arrow(e.node(), e.peer(), e.tick(), at, label(e, seqNo),
              colour(seqNo), false, e.name() + " " + e.node() + " → " + e.peer() + " "
                  + e.detail()));
        }
      } else if (e.is(Kind.DROP) && e.peer() != null && e.name() != null
          && !e.node().equals(e.peer())) {
        long seqNo = seqNo(e.data());
        if (window.showsSeqNo(seqNo)) {
          arrows.add(new Arrow(e.peer(), e.node(), e.tick(), e.tick() + 1, label(e, seqNo),
              colour(seqNo), true, e.name() + " " + e.peer() + " → " + e.node() + " lost: "
                  + e.detail()));
        }
      } else if (e.is(Kind.SUBMIT)) {
        submits.computeIfAbsent(e.peer() + ">" + e.node(), k -> new ArrayDeque<>()).add(e.tick());
      } else if (e.is(Kind.DELIVER) && "REQUEST".equals(e.name()) && "submit".equals(e.detail())) {
        Deque<Long> q = submits.get(e.peer() + ">" + e.node());
        if (q != null && !q.isEmpty()) {
          arrows.add(new Arrow("clients", e.node(), q.poll(), e.tick(), "REQUEST", "#555555",
              false, "REQUEST " + e.peer() + " → " + e.node()));
        }
      } else if (e.is(Kind.PERSISTED) && e.data() instanceof AgreementEvent.Prepared p
          && window.showsSeqNo(p.seqNo())) {
        marks.add(new Mark(e.node(), e.tick(), p.seqNo(), false));
      } else if (e.is(Kind.PERSISTED) && e.data() instanceof AgreementEvent.CommittedLocal c
          && window.showsSeqNo(c.seqNo())) {
        marks.add(new Mark(e.node(), e.tick(), c.seqNo(), true));
      } else {
        continue;
      }
      first = Math.min(first, e.tick());
      last = Math.max(last, e.tick());
    }
    for (Arrow a : arrows) {
      last = Math.max(last, a.arrives());
    }
    if (first == Long.MAX_VALUE) {
      first = window.fromTick();
      last = first;
    }
    boolean clients = arrows.stream().anyMatch(a -> a.from().equals("clients"));
    List<String> all = new ArrayList<>();
    if (clients) {
      all.add("clients");
    }
    all.addAll(lanes);
    return svg(all, arrows, marks, first, last, (RunInfo) lines.get(0).data());
  }

  private static String svg(List<String> lanes, List<Arrow> arrows, List<Mark> marks, long first,
      long last, RunInfo run) {
    Map<String, Integer> x = new HashMap<>();
    for (int i = 0; i < lanes.size(); i++) {
      x.put(lanes.get(i), LEFT + i * LANE_GAP);
    }
    int width = LEFT + (lanes.size() - 1) * LANE_GAP + 120;
    int height = TOP + (int) (last - first + 2) * TICK_PX + 40;
    Svg s = new Svg(width, height);
    s.text(10, 20, "bftlab run: seed " + run.seed() + ", n = " + run.n() + ", f = " + run.f()
        + ", ticks " + first + ".." + last, "title");
    for (long t = first; t <= last + 1; t++) {
      int y = y(t, first);
      s.line(0, y, width, y, "grid");
      s.text(8, y + 4, "t=" + t, "tick");
    }
    for (String lane : lanes) {
      int lx = x.get(lane);
      s.text(lx, TOP - 18, lane, "lane-name");
      s.line(lx, TOP - 10, lx, height - 20, "lane");
    }
    for (Arrow a : arrows) {
      Integer x1 = x.get(a.from());
      Integer x2 = x.get(a.to());
      if (x1 == null || x2 == null) {
        continue;
      }
      int y1 = y(a.sent(), first);
      int y2 = y(a.arrives(), first);
      if (a.dropped()) {
        int mx = (x1 + x2) / 2;
        int my = (y1 + y2) / 2;
        s.arrow(x1, y1, mx, my, a.colour(), "drop", a.title(), false);
        s.text(mx - 5, my + 5, "✕", "cross");
      } else {
        s.arrow(x1, y1, x2, y2, a.colour(), "msg", a.title(), true);
      }
      int lx = x1 + (x2 - x1) / 5;
      int ly = y1 + (y2 - y1) / 5 - 3;
      s.label(lx, ly, a.label(), a.colour());
    }
    for (Mark m : marks) {
      Integer mx = x.get(m.node());
      if (mx == null) {
        continue;
      }
      s.mark(mx, y(m.tick(), first), m.committed(), (m.committed() ? "C " : "P ") + m.seqNo(),
          colour(m.seqNo()));
    }
    return s.finish();
  }

  private static int y(long tick, long first) {
    return TOP + (int) (tick - first) * TICK_PX;
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
    }
    return -1;
  }

  private static String label(TraceEvent e, long seqNo) {
    long v = view(e.data());
    return e.name() + (v >= 0 ? " v" + v : "") + (seqNo >= 0 ? " n" + seqNo : "");
  }

  private static String colour(long seqNo) {
    return seqNo < 0 ? "#555555" : PALETTE[(int) (seqNo % PALETTE.length)];
  }
}
