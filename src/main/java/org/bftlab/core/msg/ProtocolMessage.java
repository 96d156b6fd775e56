package org.bftlab.core.msg;

/**
 * Everything that travels between replicas: a client {@link Request} (forwarded by a backup to
 * the primary, OSDI'99 §4.1) or a replica-signed {@link ReplicaMessage}.
 */
public sealed interface ProtocolMessage permits Request, ReplicaMessage {
  /** The paper's name of this message type, e.g. {@code PRE-PREPARE}; used in traces and logs. */
  String type();
}
