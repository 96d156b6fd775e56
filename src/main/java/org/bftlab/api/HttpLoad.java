package org.bftlab.api;

/**
 * The HTTP request pool's counts since the server started, as {@code GET /metrics} reports them.
 *
 * @param refusedPoolFull requests refused 503 because the pool was full
 * @param refusedRate requests refused 429 because their host was over its rate
 * @param inFlight requests being served now
 */
public record HttpLoad(long refusedPoolFull, long refusedRate, long inFlight) {}
