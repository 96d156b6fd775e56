package org.bftlab.transport;

/**
 * What the wire decoder hands the inbox instead of a message it could not decode: the inbox
 * drops it (it has been counted and, at most once a minute per peer, logged by
 * {@link WireSerializer}). Never reaches a component, so it can never count as a vote.
 *
 * @param peer the sending system's address, as its frame claims it
 * @param reason why it could not be decoded
 * @param bytes its size
 */
public record UndecodablePeerMessage(String peer, String reason, int bytes)
    implements NodeInbox.Command {}
