/**
 * Jackson mapping of the core's types, one for every format bftlab writes with Jackson: CBOR on
 * the wire and in the journal (through Pekko's Jackson serializer), JSON over HTTP. Owns
 * formats only; the bytes that are signed are the core's canonical bytes, never these.
 */
package org.bftlab.codec;
