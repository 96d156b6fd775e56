package org.bftlab.core.msg;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;

/**
 * A client's transaction: PBFT's REQUEST ⟨o, t, c⟩ (OSDI'99 §4.1) where the operation o is a
 * contract call {@code contract.operation(args)}, t is the client's timestamp and c the client.
 * Signed by the client over {@link #signedBytes()}.
 *
 * <p>A request may carry a read set (Hyperledger Fabric's read/write sets): the keys and versions
 * the client read before building it. The read set is part of the signed bytes; a request
 * without one (blind writes, and every request written before read sets existed) has exactly the
 * signed bytes it had then, so its signature still verifies and its journal entry still decodes.
 *
 * <p>The transaction id is derived from (cluster, client, timestamp) only, so a second request
 * with the same (client, timestamp) — a replay, whatever its payload — has the same id and is
 * executed at most once (exactly-once per (client, timestamp), OSDI'99 §4.1).
 *
 * <p>A final class with the accessors, equality and Jackson shape the record it was had (the
 * codec maps its constructor and accessors, {@code BftlabJacksonModule}), so that the canonical
 * bytes, the transaction id and the digest are computed once per instance instead of on every
 * call (issue 9): a request is hashed by every rule that looks it up.
 *
 * @param clusterId the cluster this request is meant for
 * @param client the signing client
 * @param timestamp the client's timestamp t (any value >= 0; unique per client)
 * @param contract contract name, e.g. {@code token}
 * @param operation operation name, e.g. {@code transfer}
 * @param args operation arguments
 * @param readSet the (contract, key, version) entries the client read, in the client's order;
 *     empty for none (null is read as empty, so journals written before read sets decode)
 * @param signature the client's Ed25519 signature (64 bytes)
 */
public final class Request implements ProtocolMessage {
  private final String clusterId;
  private final ClientId client;
  private final long timestamp;
  private final String contract;
  private final String operation;
  private final List<String> args;
  private final List<ReadEntry> readSet;
  private final byte[] signature;

  // Memoised hashes, computed at most once per instance (the fields are immutable); volatile so
  // a value one thread computed is seen whole by another (a race only computes it twice);
  // transient: derived caches, not state (the simulator's Fingerprint skips them).
  private transient volatile byte[] signedBytes;
  private transient volatile String txId;
  private transient volatile Digest digest;

  /**
   * The canonical constructor (the former record's).
   *
   * @throws NullPointerException when a field but {@code readSet} is null
   * @throws IllegalArgumentException when {@code timestamp < 0}
   */
  public Request(String clusterId, ClientId client, long timestamp, String contract,
      String operation, List<String> args, List<ReadEntry> readSet, byte[] signature) {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(signature, "signature");
    if (timestamp < 0) {
      throw new IllegalArgumentException("timestamp must be >= 0, got " + timestamp);
    }
    this.clusterId = clusterId;
    this.client = client;
    this.timestamp = timestamp;
    this.contract = contract;
    this.operation = operation;
    this.args = List.copyOf(Objects.requireNonNull(args, "args"));
    this.readSet = readSet == null ? List.of() : List.copyOf(readSet);
    this.signature = signature;
  }

  /** A request without a read set (blind writes). */
  public Request(String clusterId, ClientId client, long timestamp, String contract,
      String operation, List<String> args, byte[] signature) {
    this(clusterId, client, timestamp, contract, operation, args, List.of(), signature);
  }

  /** Builds and signs a request with the client's authenticator. */
  public static Request sign(String clusterId, ClientId client, long timestamp, String contract,
      String operation, List<String> args, Function<byte[], byte[]> signer) {
    return sign(clusterId, client, timestamp, contract, operation, args, List.of(), signer);
  }

  /** Builds and signs a request carrying {@code readSet} (see the record's doc). */
  public static Request sign(String clusterId, ClientId client, long timestamp, String contract,
      String operation, List<String> args, List<ReadEntry> readSet,
      Function<byte[], byte[]> signer) {
    Request unsigned = new Request(clusterId, client, timestamp, contract, operation, args,
        readSet, new byte[0]);
    return unsigned.withSignature(signer.apply(unsigned.signedBytes()));
  }

  /** A copy carrying {@code sig}. */
  public Request withSignature(byte[] sig) {
    return new Request(clusterId, client, timestamp, contract, operation, args, readSet, sig);
  }

  public String clusterId() {
    return clusterId;
  }

  public ClientId client() {
    return client;
  }

  public long timestamp() {
    return timestamp;
  }

  public String contract() {
    return contract;
  }

  public String operation() {
    return operation;
  }

  /** The arguments (unmodifiable). */
  public List<String> args() {
    return args;
  }

  /** The read set (unmodifiable; empty for none). */
  public List<ReadEntry> readSet() {
    return readSet;
  }

  /** The signature (the array itself, as the record returned it). */
  public byte[] signature() {
    return signature;
  }

  @Override
  public String type() {
    return "REQUEST";
  }

  /**
   * Canonical bytes the client's signature covers (everything but the signature). Without a read
   * set they are the pre-read-set bytes; with one, the tag {@code READSET}, the entry count and
   * each entry's (contract, key, height, index) follow the arguments.
   */
  public byte[] signedBytes() {
    return canonical().clone();
  }

  private byte[] canonical() {
    byte[] b = signedBytes;
    if (b == null) {
      b = encode();
      signedBytes = b;
    }
    return b;
  }

  private byte[] encode() {
    Canonical c = Canonical.begin("REQUEST", clusterId)
        .str(client.value()).i64(timestamp).str(contract).str(operation).strs(args);
    if (!readSet.isEmpty()) {
      c.str("READSET").i32(readSet.size());
      for (ReadEntry r : readSet) {
        c.str(r.contract()).str(r.key()).i64(r.blockHeight()).i32(r.txIndex());
      }
    }
    return c.toBytes();
  }

  /** Size in bytes of the canonical encoding including the signature; bounded by maxRequestBytes. */
  public int canonicalSize() {
    return canonical().length + 4 + signature.length;
  }

  /** The transaction id: SHA-256 of (cluster, client, timestamp), hex. */
  public String txId() {
    String id = txId;
    if (id == null) {
      id = txId(clusterId, client, timestamp);
      txId = id;
    }
    return id;
  }

  /** The transaction id of (cluster, client, timestamp). */
  public static String txId(String clusterId, ClientId client, long timestamp) {
    return Digest.sha256(Canonical.begin("TXID", clusterId).str(client.value()).i64(timestamp)
        .toBytes()).hex();
  }

  /** Digest of the whole request, signature included: what a batch digest is built from. */
  public Digest digest() {
    Digest d = digest;
    if (d == null) {
      d = Digest.sha256(canonical(), signature);
      digest = d;
    }
    return d;
  }

  /** True when the signature is the client's valid signature (unknown clients give false). */
  public boolean verify(Authenticator auth) {
    return auth.verifyClient(client, canonical(), signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Request r && r.digest().equals(digest());
  }

  @Override
  public int hashCode() {
    return txId().hashCode();
  }

  @Override
  public String toString() {
    return "REQUEST(" + client + ", t=" + timestamp + ", " + contract + "." + operation + args
        + (readSet.isEmpty() ? "" : ", reads " + readSet) + ")";
  }
}
