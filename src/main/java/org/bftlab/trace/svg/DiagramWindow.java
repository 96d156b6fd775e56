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

  boolean showsTick(long t) {
    return t >= fromTick && t <= untilTick;
  }

  boolean showsSeqNo(long n) {
    return n < 0 || (n >= minSeqNo && n <= maxSeqNo);
  }
}
