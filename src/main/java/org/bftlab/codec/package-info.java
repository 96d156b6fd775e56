/**
 * Jackson mapping of the core's types, one for every format bftlab writes with Jackson: CBOR on
 * the wire and in the journal (through Pekko's Jackson serializer), JSON over HTTP. Owns
 * formats only, and {@link org.bftlab.codec.CborSerializable}, the one marker bound to the CBOR
 * serializer in {@code application.conf}. The bytes that are signed are the core's canonical
 * bytes, never these. Must not touch actors, the network or files.
 */
package org.bftlab.codec;
