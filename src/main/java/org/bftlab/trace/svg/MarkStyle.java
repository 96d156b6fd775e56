package org.bftlab.trace.svg;

import java.util.Map;

/**
 * How a {@link org.bftlab.trace.Mark} kind is drawn on a lane: the same shapes, colours and legend
 * words as the stepper's page ({@code src/main/resources/step/diagram.js}, {@code MARKS}), so a
 * student reads the static diagram and the stepper alike.
 *
 * @param shape {@code circle}, {@code diamond}, {@code square}, {@code bar}, {@code triangle},
 *     {@code star}, {@code hexagon} or {@code cross}
 * @param fill fill colour
 * @param stroke outline colour
 * @param legend what it means, in the paper's words
 */
record MarkStyle(String shape, String fill, String stroke, String legend) {
  /** Every kind {@link org.bftlab.trace.Mark#of} produces, in legend order. */
  static final Map<String, MarkStyle> KINDS = Map.ofEntries(
      Map.entry("pre-prepared", new MarkStyle("circle", "#fff", "#777", "pre-prepared")),
      Map.entry("prepared", new MarkStyle("diamond", "#e80", "#a50",
          "prepared (pre-prepare + 2f prepares)")),
      Map.entry("committed-local", new MarkStyle("square", "#2a2", "#060",
          "committed-local (2f+1 commits)")),
      Map.entry("executed", new MarkStyle("bar", "#06c", "#06c", "executed: block appended")),
      Map.entry("view-change", new MarkStyle("triangle", "#d22", "#900", "VIEW-CHANGE sent")),
      Map.entry("new-view", new MarkStyle("star", "#90c", "#606", "new view installed")),
      Map.entry("stable-checkpoint", new MarkStyle("hexagon", "#39c", "#147",
          "stable checkpoint")),
      Map.entry("crash", new MarkStyle("cross", "#000", "#000", "crash")),
      Map.entry("restart", new MarkStyle("circle", "#ff0", "#000", "restart")));

  /** Legend order. */
  static final String[] ORDER = {"pre-prepared", "prepared", "committed-local", "executed",
      "view-change", "new-view", "stable-checkpoint", "crash", "restart"};

  /** The style of {@code kind}; an unknown kind is drawn as pre-prepared. */
  static MarkStyle of(String kind) {
    return KINDS.getOrDefault(kind, KINDS.get("pre-prepared"));
  }
}
