package org.bftlab.trace.svg;

/**
 * What part of a run a {@link SequenceDiagram} shows: ticks [{@code fromTick}, {@code untilTick}]
 * and protocol messages whose seqNo is in [{@code minSeqNo}, {@code maxSeqNo}] (messages without
 * a seqNo — REQUEST, VIEW-CHANGE … — are shown whenever they are in the tick window).
 *
 * @param fromTick first tick shown (inclusive)
 * @param untilTick last tick shown (inclusive)
 * @param minSeqNo smallest seqNo shown
 * @param maxSeqNo largest seqNo shown
 */
public record DiagramWindow(long fromTick, long untilTick, long minSeqNo, long maxSeqNo) {
  /** Everything. */
  public static final DiagramWindow ALL = new DiagramWindow(0, Long.MAX_VALUE, 0, Long.MAX_VALUE);

  public DiagramWindow {
    if (fromTick < 0 || untilTick < fromTick || minSeqNo < 0 || maxSeqNo < minSeqNo) {
      throw new IllegalArgumentException("need 0 <= fromTick <= untilTick and 0 <= minSeqNo <= "
          + "maxSeqNo, got ticks [" + fromTick + ", " + untilTick + "], seqNos [" + minSeqNo
          + ", " + maxSeqNo + "]");
    }
  }

  /** Ticks [{@code from}, {@code until}], every seqNo. */
  public static DiagramWindow ticks(long from, long until) {
    return new DiagramWindow(from, until, 0, Long.MAX_VALUE);
  }

  /** This window restricted to seqNos [{@code min}, {@code max}]. */
  public DiagramWindow seqNos(long min, long max) {
    return new DiagramWindow(fromTick, untilTick, min, max);
  }

  /**
   * Parses a window option: {@code seq=A..B} (seqNos), {@code tick=A..B} (ticks) or both,
   * comma-separated ({@code seq=3..9,tick=100..400}); a single number {@code A} means
   * {@code A..A}. Unnamed parts stay whole.
   *
   * @throws IllegalArgumentException with the accepted forms when {@code text} is not one of them
   */
  public static DiagramWindow parse(String text) {
    DiagramWindow w = ALL;
    for (String part : text.split(",", -1)) {
      String[] kv = part.trim().split("=", 2);
      long[] r = kv.length == 2 ? range(kv[1]) : null;
      if (r != null && kv[0].trim().equals("seq")) {
        w = w.seqNos(r[0], r[1]);
      } else if (r != null && kv[0].trim().equals("tick")) {
        w = new DiagramWindow(r[0], r[1], w.minSeqNo, w.maxSeqNo);
      } else {
        throw new IllegalArgumentException("a window is seq=A..B, tick=A..B or both "
            + "(seq=3..9,tick=100..400) with 0 <= A <= B, got '" + text + "'");
      }
    }
    return w;
  }

  private static long[] range(String text) {
    String[] ab = text.trim().split("\\.\\.", -1);
    try {
      long a = Long.parseLong(ab[0].trim());
      long b = ab.length == 1 ? a : Long.parseLong(ab[1].trim());
      return ab.length <= 2 && a >= 0 && b >= a ? new long[] {a, b} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** True when this window leaves some seqNos out. */
  boolean restrictsSeqNos() {
    return minSeqNo > 0 || maxSeqNo < Long.MAX_VALUE;
  }

  boolean showsTick(long t) {
    return t >= fromTick && t <= untilTick;
  }

  boolean showsSeqNo(long n) {
    return n < 0 || (n >= minSeqNo && n <= maxSeqNo);
  }
}
