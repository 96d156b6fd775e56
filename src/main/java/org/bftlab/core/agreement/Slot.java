package org.bftlab.core.agreement;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.TreeMap;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.PrePrepare;

/**
 * Everything logged for one sequence number n (OSDI'99 §4.2): one {@link LogEntry} per view in
 * which messages for n arrived, whether n is <em>committed-local</em> (and in which view, with
 * which digest), and the tick of its last progress (volatile, for retransmission).
 *
 * <p>Read-only outside this package.
 */
public final class Slot {
  private final long seqNo;
  private final TreeMap<Long, LogEntry> entries = new TreeMap<>();
  private long committedView = -1;
  private Digest committedDigest;
  private long lastProgressTick;

  Slot(long seqNo, long nowTick) {
    this.seqNo = seqNo;
    this.lastProgressTick = nowTick;
  }

  /** n. */
  public long seqNo() {
    return seqNo;
  }

  /** The entry for view {@code view}, if anything was logged for (view, n). */
  public Optional<LogEntry> entry(long view) {
    return Optional.ofNullable(entries.get(view));
  }

  /** Every entry, in view order (read-only). */
  public Collection<LogEntry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  /** True once <em>committed-local</em> became true for n (a {@code CommittedLocal} event). */
  public boolean isCommittedLocal() {
    return committedDigest != null;
  }

  /** The view in which n became committed-local; -1 if it has not. */
  public long committedView() {
    return committedView;
  }

  /** The committed digest, if committed-local. */
  public Optional<Digest> committedDigest() {
    return Optional.ofNullable(committedDigest);
  }

  /** The PRE-PREPARE carrying the committed batch, if committed-local. */
  public Optional<PrePrepare> committedPrePrepare() {
    return isCommittedLocal() ? entry(committedView).flatMap(LogEntry::prePrepare)
        : Optional.empty();
  }

  /** Tick of the last accepted message or retransmission for n (volatile; 0 after a restart). */
  public long lastProgressTick() {
    return lastProgressTick;
  }

  LogEntry entryFor(long view) {
    return entries.computeIfAbsent(view, v -> new LogEntry(v, seqNo));
  }

  void markCommitted(long view, Digest digest) {
    if (committedDigest != null && !committedDigest.equals(digest)) {
      throw new IllegalStateException("seqNo " + seqNo + " committed-local with two digests: "
          + committedDigest.shortHex() + " and " + digest.shortHex());
    }
    LogEntry e = entries.get(view);
    if (e == null || !e.isPrepared() || !e.digest().map(digest::equals).orElse(false)) {
      throw new IllegalStateException("committed-local (v=" + view + ", n=" + seqNo
          + ") requires prepared with the same digest");
    }
    if (committedDigest == null) {
      committedView = view;
      committedDigest = digest;
    }
  }

  void touch(long tick) {
    lastProgressTick = Math.max(lastProgressTick, tick);
  }

  @Override
  public String toString() {
    return "Slot(n=" + seqNo + ", committedLocal="
        + committedDigest().map(Digest::shortHex).orElse("no") + ", lastProgressTick="
        + lastProgressTick + ", " + entries.values() + ")";
  }
}
