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
        .append(".drop{stroke-dasharray:4 3}</style>\n")
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

  void label(int x, int y, String text, String colour) {
    b.append("<text class=\"msg-label\" x=\"").append(x).append("\" y=\"").append(y)
        .append("\" font-size=\"9\" fill=\"").append(colour).append("\">").append(escape(text))
        .append("</text>\n");
  }

  void mark(int x, int y, boolean committed, String text, String colour) {
    if (committed) {
      b.append("<rect class=\"committed\" x=\"").append(x - 6).append("\" y=\"").append(y - 6)
          .append("\" width=\"12\" height=\"12\" fill=\"").append(colour).append("\"/>\n");
    } else {
      b.append("<circle class=\"prepared\" cx=\"").append(x).append("\" cy=\"").append(y)
          .append("\" r=\"6\" fill=\"white\" stroke=\"").append(colour)
          .append("\" stroke-width=\"2\"/>\n");
    }
    b.append("<text class=\"mark-label\" x=\"").append(x + 9).append("\" y=\"").append(y + 4)
        .append("\" font-size=\"10\">").append(escape(text)).append("</text>\n");
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
