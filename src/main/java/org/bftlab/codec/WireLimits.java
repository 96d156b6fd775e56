package org.bftlab.codec;

import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.quorum.Quorums;

/**
 * The size of the largest legal message between replicas, which sets Pekko Artery's
 * {@code maximum-frame-size} and the wire decoder's document limit ({@link ReadLimits#wire}).
 *
 * <p>The largest message a correct replica sends in the normal case is a PRE-PREPARE whose batch
 * is full ({@code batch-size} requests) of requests of the largest accepted size
 * ({@code max-request-bytes}, canonical bytes), or the block it becomes, each request with a
 * result of up to {@link BlockEntry#MAX_RESULT_LENGTH} characters (3 bytes each in UTF-8), in a
 * STATE-RESPONSE. CBOR adds at most {@link #PER_REQUEST_OVERHEAD} bytes per request over its
 * canonical bytes (property names and headers instead of fixed 4-byte lengths) and {@link
 * #MESSAGE_OVERHEAD} for the message's own fields; the frame is that, rounded up to 64 KiB, and
 * never below {@link #MIN_FRAME_BYTES}. With the defaults (64 requests of 64 KiB, results of
 * 4,096 characters) it is 5,046,272 bytes: a full block of the largest requests fits.
 *
 * <p>STATE-RESPONSE is bounded by construction: state transfer serves blocks up to {@code
 * StateResponse.budget} wire bytes — a full batch's worth — or a single block (one batch), so the
 * largest response fits this frame ({@code WireLimitsTest}). FETCHED-BATCH carries one batch, as
 * a PRE-PREPARE does.
 *
 * <p>VIEW-CHANGE and NEW-VIEW carry PRE-PREPARE headers (digests), not batches (TOCS'02 §5.1; a
 * replica fetches a missing batch with FETCH-BATCH), so their size does not depend on the batch
 * or request size: a VIEW-CHANGE is at most {@code ViewChange.maxCborBytes(2f+1, L)} — O(L × (2f+1))
 * signatures, at most 35 KB for n = 4, L = 32 — and a NEW-VIEW at most {@code
 * NewView.maxCborBytes(2f+1, L)} — 2f+1 of them and L headers, at most 116 KB for n = 4 and 4.7
 * MB for n = 31. {@link #maxMessageBytes(int, int, int, int)} takes the larger of that and the
 * PRE-PREPARE bound.
 */
public final class WireLimits {
  /** CBOR bytes a request may take beyond its canonical size (property names, headers). */
  public static final int PER_REQUEST_OVERHEAD = 256;
  /** CBOR bytes of a message's own fields (view, seqNo, digest, sender, signature, type). */
  public static final int MESSAGE_OVERHEAD = 4096;
  /** Smallest frame: Pekko's default, room for every control message. */
  public static final long MIN_FRAME_BYTES = 256 * 1024;

  private WireLimits() {}

  /**
   * The largest legal message, bytes, rounded up to a multiple of 64 KiB.
   *
   * @param batchSize requests per PRE-PREPARE (>= 1)
   * @param maxRequestBytes largest accepted request, canonical bytes (>= 1)
   * @throws IllegalArgumentException when a value is not positive or the frame would exceed
   *     1 GiB
   */
  public static long maxMessageBytes(int batchSize, int maxRequestBytes) {
    return roundedFrame(prePrepareBytes(batchSize, maxRequestBytes), batchSize, maxRequestBytes);
  }

  /**
   * The largest legal message, bytes, rounded up to a multiple of 64 KiB: the larger of a full
   * PRE-PREPARE of the largest requests ({@link #maxMessageBytes(int, int)}) and the largest
   * NEW-VIEW ({@code NewView.maxCborBytes(2f+1, watermarkWindow)}, which bounds every VIEW-CHANGE
   * too).
   *
   * @param batchSize requests per PRE-PREPARE (>= 1)
   * @param maxRequestBytes largest accepted request, canonical bytes (>= 1)
   * @param n replicas, 3f+1 (>= 4)
   * @param watermarkWindow L (>= 1)
   * @throws IllegalArgumentException when a value is out of range or the frame would exceed
   *     1 GiB
   */
  public static long maxMessageBytes(int batchSize, int maxRequestBytes, int n,
      int watermarkWindow) {
    if (watermarkWindow < 1) {
      throw new IllegalArgumentException("watermark-window must be >= 1, got " + watermarkWindow);
    }
    long raw = Math.max(prePrepareBytes(batchSize, maxRequestBytes),
        NewView.maxCborBytes(new Quorums(n).commit(), watermarkWindow));
    return roundedFrame(raw, batchSize, maxRequestBytes);
  }

  private static long prePrepareBytes(int batchSize, int maxRequestBytes) {
    if (batchSize < 1 || maxRequestBytes < 1) {
      throw new IllegalArgumentException("batch-size and max-request-bytes must be >= 1, got "
          + batchSize + " and " + maxRequestBytes);
    }
    // a PRE-PREPARE's batch, or the block it becomes with each request's result (state transfer)
    return (long) batchSize * ((long) maxRequestBytes + PER_REQUEST_OVERHEAD
        + 3L * BlockEntry.MAX_RESULT_LENGTH) + MESSAGE_OVERHEAD;
  }

  private static long roundedFrame(long raw, int batchSize, int maxRequestBytes) {
    long rounded = (raw + 65535) / 65536 * 65536;
    if (rounded > (1L << 30)) {
      throw new IllegalArgumentException("batch-size " + batchSize + " x max-request-bytes "
          + maxRequestBytes + " (or n and L) make a message of " + raw + " bytes, more than the"
          + " 1 GiB a frame may hold; lower one of them");
    }
    return Math.max(MIN_FRAME_BYTES, rounded);
  }
}
