package org.bftlab.codec;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Jackson {@link StreamReadConstraints} for every format read from outside: JSON over HTTP
 * ({@link Json#mapper()}), CBOR between replicas ({@code org.bftlab.transport.WireSerializer}) and in
 * the journal ({@code pekko.serialization.jackson.read} in {@code application.conf}, the same
 * numbers). A document over a limit fails to parse ({@code StreamConstraintsException}) before it
 * is materialised: the HTTP API answers 400 {@code MALFORMED}, a peer message is dropped.
 *
 * <p>The limits are far above anything legal: no bftlab document nests deeper than ~12 levels,
 * no number has more than 20 digits, no property name is longer than 20 characters, and a
 * string is at most one request ({@code max-request-bytes}, 64 KiB by default).
 */
public final class ReadLimits {
  /** Deepest nesting of objects and arrays. */
  public static final int MAX_NESTING_DEPTH = 64;
  /** Longest number, characters. */
  public static final int MAX_NUMBER_LENGTH = 40;
  /** Longest property name, characters. */
  public static final int MAX_NAME_LENGTH = 256;
  /** Longest string value, characters. */
  public static final int MAX_STRING_LENGTH = 1 << 20;
  /** Largest JSON document, bytes (HTTP bodies are bounded lower, by the routes). */
  public static final long MAX_JSON_DOCUMENT_BYTES = 16L << 20;

  private ReadLimits() {}

  /** The constraints of JSON documents. */
  public static StreamReadConstraints json() {
    return constraints(MAX_JSON_DOCUMENT_BYTES);
  }

  /**
   * The constraints of one CBOR message between replicas.
   *
   * @param maxDocumentBytes the largest legal message (the Artery frame size)
   */
  public static StreamReadConstraints wire(long maxDocumentBytes) {
    return constraints(maxDocumentBytes);
  }

  private static StreamReadConstraints constraints(long maxDocumentBytes) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .maxNumberLength(MAX_NUMBER_LENGTH)
        .maxNameLength(MAX_NAME_LENGTH)
        .maxStringLength(MAX_STRING_LENGTH)
        .maxDocumentLength(maxDocumentBytes)
        .build();
  }
}
