package org.bftlab.codec;

/**
 * Marker for messages that cross the network between nodes: bound to Pekko's Jackson CBOR
 * serializer in {@code application.conf}. Java serialization stays off.
 */
public interface CborSerializable {}
