package org.bftlab.trace.svg;

/**
 * The legend of a {@link SequenceDiagram}: every mark ({@link MarkStyle}) with its meaning, then
 * what the colours, dashes, ✕ and shaded bands of the arrows say. Drawn as one {@code <g
 * class="legend">} of {@link #height()} pixels.
 */
final class Legend {
  private static final int LINE = 16;
  private static final int PER_LINE = 3;
  private static final String[][] ARROWS = {
      {"hsl(67, 65%, 38%)", "PRE-PREPARE / PREPARE / COMMIT: one colour per seqNo n"},
      {"#cc0000", "VIEW-CHANGE / NEW-VIEW (view change, OSDI'99 §4.4)"},
      {"#3399cc", "CHECKPOINT / STATUS"},
      {"#555555", "REQUEST (client → node)"}};

  private Legend() {}

  /** Height in pixels. */
  static int height() {
    return LINE * ((MarkStyle.ORDER.length + PER_LINE - 1) / PER_LINE + ARROWS.length / 2 + 3);
  }

  /** Draws the legend with its top-left corner at (x, y), {@code width} pixels wide. */
  static void draw(Svg s, int x, int y, int width) {
    s.raw("<g class=\"legend\">\n");
    s.text(x, y + 10, "legend", "legend-title");
    int col = (width - 2 * x) / PER_LINE;
    int row = y + LINE + 6;
    for (int i = 0; i < MarkStyle.ORDER.length; i++) {
      int cx = x + 8 + (i % PER_LINE) * col;
      int cy = row + (i / PER_LINE) * LINE;
      String kind = MarkStyle.ORDER[i];
      s.mark(cx, cy, kind, null);
      s.text(cx + 12, cy + 4, MarkStyle.of(kind).legend(), "legend-item");
    }
    row += ((MarkStyle.ORDER.length + PER_LINE - 1) / PER_LINE) * LINE;
    int half = (width - 2 * x) / 2;
    for (int i = 0; i < ARROWS.length; i++) {
      int ax = x + (i % 2) * half;
      int ay = row + (i / 2) * LINE;
      s.arrow(ax, ay, ax + 24, ay, ARROWS[i][0], "legend-arrow", ARROWS[i][1], true);
      s.text(ax + 30, ay + 4, ARROWS[i][1], "legend-item");
    }
    row += (ARROWS.length / 2) * LINE;
    s.text(x, row + 4, "dashed arrow ✕ = dropped by a rule or lost at a down replica · shaded"
        + " band = a view change in progress", "legend-item");
    s.text(x, row + 4 + LINE, "each label stands on the row where its message arrives (or its mark"
        + " is set)", "legend-item");
    s.raw("</g>\n");
  }
}
