package org.bftlab.codec;

/**
 * The size of the largest legal message between replicas, which sets Pekko Artery's
 * {@code maximum-frame-size} and the wire decoder's document limit ({@link ReadLimits#wire}).
 *
 * <p>The largest message a correct replica sends in the normal case is a PRE-PREPARE whose batch
 * is full ({@code batch-size} requests) of requests of the largest accepted size
 * ({@code max-request-bytes}, canonical bytes). CBOR adds at most {@link #PER_REQUEST_OVERHEAD}
 * bytes per request over its canonical bytes (property names and headers instead of fixed
 * 4-byte lengths) and {@link #MESSAGE_OVERHEAD} for the message's own fields; the frame is that,
 * rounded up to 64 KiB, and never below {@link #MIN_FRAME_BYTES}. With the defaults (64 requests
 * of 64 KiB) it is 4,259,840 bytes, just above 4 MiB: a full batch of the largest requests
 * fits (the former fixed 4 MiB did not).
 *
 * <p>STATE-RESPONSE is bounded by construction: state transfer serves blocks up to {@code
 * StateResponse.budget} wire bytes — a full batch's worth — or a single block (one batch), so the
 * largest response fits this frame ({@code WireLimitsTest}). Still open: VIEW-CHANGE (a prepared
 * certificate, with its full PRE-PREPARE, per seqNo in (h, H]) and NEW-VIEW (2f+1 VIEW-CHANGEs
 * and O) can exceed it when many full batches of the largest requests are in flight: Artery then
 * refuses to send them (logged at ERROR by Pekko) and the view change waits for a retransmission
 * with less in flight. Carrying request digests instead of batches in them would remove the
 * limit (a protocol change, not done).
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
    if (batchSize < 1 || maxRequestBytes < 1) {
      throw new IllegalArgumentException("batch-size and max-request-bytes must be >= 1, got "
          + batchSize + " and " + maxRequestBytes);
    }
    long raw = (long) batchSize * ((long) maxRequestBytes + PER_REQUEST_OVERHEAD)
        + MESSAGE_OVERHEAD;
    long rounded = (raw + 65535) / 65536 * 65536;
    if (rounded > (1L << 30)) {
      throw new IllegalArgumentException("batch-size " + batchSize + " x max-request-bytes "
          + maxRequestBytes + " makes a PRE-PREPARE of " + raw + " bytes, more than the 1 GiB a"
          + " frame may hold; lower one of them");
    }
    return Math.max(MIN_FRAME_BYTES, rounded);
  }
}
