package org.bftlab.trace.svg;

/** A minimal SVG writer: escapes text, emits well-formed XML. */
final class Svg {
  private final StringBuilder b = new StringBuilder(16 * 1024);

  Svg(int width, int height) {
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\" font-family=\"monospace\">\n")
        .append("<style>.grid{stroke:#eee}.tick{font-size:9px;fill:#999}")
        .append(".lane{stroke:#333;stroke-width:2}.lane-name{font-size:13px;font-weight:bold;")
        .append("text-anchor:middle}.title{font-size:13px}.cross{font-size:14px;fill:#c00}")
        .append(".drop,.lost{stroke-dasharray:4 3}.legend{font-size:11px}</style>\n")
        .append("<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" ")
        .append("markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"context-stroke\"/></marker></defs>\n");
  }

  void line(int x1, int y1, int x2, int y2, String cls) {
    b.append("<line class=\"").append(cls).append("\" x1=\"").append(x1).append("\" y1=\"")
        .append(y1).append("\" x2=\"").append(x2).append("\" y2=\"").append(y2).append("\"/>\n");
  }

  void arrow(int x1, int y1, int x2, int y2, String colour, String cls, String title,
      boolean head) {
    b.append("<line class=\"").append(cls).append("\" x1=\"").append(x1).append("\" y1=\"")
        .append(y1).append("\" x2=\"").append(x2).append("\" y2=\"").append(y2)
        .append("\" stroke=\"").append(colour).append("\" stroke-width=\"1.3\"")
        .append(head ? " marker-end=\"url(#head)\"" : "").append("><title>")
        .append(escape(title)).append("</title></line>\n");
  }

  void text(int x, int y, String text, String cls) {
    b.append("<text class=\"").append(cls).append("\" x=\"").append(x).append("\" y=\"")
        .append(y).append("\">").append(escape(text)).append("</text>\n");
  }

  /** Pixels a character of a {@link #label} takes (monospace, 10px). */
  static final int CHAR_PX = 6;

  /** Height of a {@link #label}'s box, in pixels. */
  static final int LABEL_PX = 12;

  /**
   * A message or mark label with its box: a {@code rect class="label-box"} (x, y, width, height
   * are the box the text fills) then the {@code text class="msg-label"}; {@code y} is the
   * box's vertical centre.
   */
  void label(int x, int y, String text, String colour) {
    int top = y - LABEL_PX / 2;
    b.append("<rect class=\"label-box\" x=\"").append(x - 2).append("\" y=\"").append(top)
        .append("\" width=\"").append(text.length() * CHAR_PX + 4).append("\" height=\"")
        .append(LABEL_PX).append("\" fill=\"white\" fill-opacity=\"0.85\"/>\n")
        .append("<text class=\"msg-label\" x=\"").append(x).append("\" y=\"").append(y + 4)
        .append("\" font-size=\"10\" fill=\"").append(colour).append("\">").append(escape(text))
        .append("</text>\n");
  }

  /** A filled rectangle of class {@code cls}. */
  void rect(int x, int y, int width, int height, String fill, String cls) {
    b.append("<rect class=\"").append(cls).append("\" x=\"").append(x).append("\" y=\"")
        .append(y).append("\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" fill=\"").append(fill).append("\"/>\n");
  }

  /** The mark of {@code kind} ({@link MarkStyle}) centred on (x, y), with a tooltip. */
  void mark(int x, int y, String kind, String title) {
    MarkStyle m = MarkStyle.of(kind);
    String a = " class=\"mark mark-" + kind + "\" fill=\"" + m.fill() + "\" stroke=\""
        + m.stroke() + "\" stroke-width=\"1.5\"";
    String t = title == null ? "/>\n" : "><title>" + escape(title) + "</title></";
    switch (m.shape()) {
      case "square" -> b.append("<rect").append(a).append(" x=\"").append(x - 4).append("\" y=\"")
          .append(y - 4).append("\" width=\"8\" height=\"8\"").append(t)
          .append(title == null ? "" : "rect>\n");
      case "bar" -> b.append("<rect").append(a).append(" x=\"").append(x - 7).append("\" y=\"")
          .append(y - 2).append("\" width=\"14\" height=\"3\"").append(t)
          .append(title == null ? "" : "rect>\n");
      case "circle" -> b.append("<circle").append(a).append(" cx=\"").append(x).append("\" cy=\"")
          .append(y).append("\" r=\"4\"").append(t).append(title == null ? "" : "circle>\n");
      case "cross" -> b.append("<path").append(a).append(" d=\"M").append(x - 5).append(',')
          .append(y - 5).append('L').append(x + 5).append(',').append(y + 5).append('M')
          .append(x + 5).append(',').append(y - 5).append('L').append(x - 5).append(',')
          .append(y + 5).append('"').append(t).append(title == null ? "" : "path>\n");
      default -> b.append("<polygon").append(a).append(" points=\"").append(points(m.shape(), x, y))
          .append('"').append(t).append(title == null ? "" : "polygon>\n");
    }
  }

  private static String points(String shape, int x, int y) {
    int[] p = switch (shape) {
      case "diamond" -> new int[] {0, -5, 5, 0, 0, 5, -5, 0};
      case "triangle" -> new int[] {0, -5, 5, 4, -5, 4};
      case "star" -> new int[] {0, -6, 2, -2, 6, -2, 3, 1, 4, 6, 0, 3, -4, 6, -3, 1, -6, -2, -2,
          -2};
      default -> new int[] {-5, 0, -2, -5, 2, -5, 5, 0, 2, 5, -2, 5}; // hexagon
    };
    StringBuilder o = new StringBuilder();
    for (int i = 0; i < p.length; i += 2) {
      o.append(i == 0 ? "" : " ").append(x + p[i]).append(',').append(y + p[i + 1]);
    }
    return o.toString();
  }

  /** Appends {@code markup} as it is (trusted, well-formed). */
  void raw(String markup) {
    b.append(markup);
  }

  String finish() {
    return b.append("</svg>\n").toString();
  }

  static String escape(String s) {
    StringBuilder o = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> o.append("&lt;");
        case '>' -> o.append("&gt;");
        case '&' -> o.append("&amp;");
        case '"' -> o.append("&quot;");
        case '\'' -> o.append("&apos;");
        default -> o.append(c);
      }
    }
    return o.toString();
  }
}
