package org.bftlab.crypto;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The genesis membership file: which replicas and clients make up the cluster, where the
 * replicas listen, and their Ed25519 public keys (DESIGN.md §3; Hyperledger Fabric's MSP plays
 * this role there). Fixed for the life of the cluster: every replica must load the same file.
 *
 * <p>JSON shape (pretty-printed by {@link #write(Path)}):
 *
 * <pre>{@code
 * { "clusterId": "bftlab-local",
 *   "nodes":   [ {"id": "node-0", "host": "127.0.0.1", "pekkoPort": 25520, "httpPort": 8080,
 *                 "publicKey": "<base64 of 32 bytes>"}, ... ],
 *   "clients": [ {"id": "client-0", "publicKey": "<base64 of 32 bytes>"}, ... ],
 *   "caCertificate": "-----BEGIN CERTIFICATE-----\n..." }     // optional
 * }</pre>
 *
 * <p>Validation (in the constructor, so every instance is valid; messages name the element):
 * cluster id of 1..64 {@code [A-Za-z0-9._-]}; n = 3f+1 >= 4 nodes listed as {@code node-0 ..
 * node-(n-1)} in order; every (host, port) endpoint — Pekko and HTTP — used once; every public
 * key valid (base64 of 32 bytes encoding an edwards25519 point) and used by one member only
 * (two members sharing a key would let one faulty process count twice); client ids unique; the
 * CA certificate, when present, a PEM X.509 certificate with an Ed25519 key.
 *
 * <p>Read it with {@link #read(Path)} or {@link #fromJson(String)}, not with a bare {@code
 * Json.mapper()}: the optional {@code caCertificate} needs the relaxed null handling they set up.
 *
 * @param clusterId bound into every signature (see {@code org.bftlab.core.msg.Canonical})
 * @param nodes the replicas in index order
 * @param clients the clients allowed to submit transactions (may be empty)
 * @param caCertificate PEM of the cluster CA's self-signed certificate, or null when the
 *     membership has no X.509 layer
 */
@JsonPropertyOrder({"clusterId", "nodes", "clients", "caCertificate"})
public record Genesis(
    String clusterId,
    List<GenesisNode> nodes,
    List<GenesisClient> clients,
    @JsonInclude(JsonInclude.Include.NON_NULL) String caCertificate) {

  /** Pattern every cluster id matches (same as {@code ProtocolParams}). */
  public static final String CLUSTER_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";

  public Genesis {
    if (clusterId == null) {
      throw new IllegalArgumentException("clusterId is missing");
    }
    if (!clusterId.matches(CLUSTER_ID_PATTERN)) {
      throw new IllegalArgumentException(
          "clusterId must be 1..64 characters of [A-Za-z0-9._-], got \"" + clusterId + '"');
    }
    if (nodes == null) {
      throw new IllegalArgumentException("nodes is missing");
    }
    if (clients == null) {
      throw new IllegalArgumentException("clients is missing (use [] for none)");
    }
    nodes = List.copyOf(nodes);
    clients = List.copyOf(clients);
    int n = nodes.size();
    if (n < 4 || (n - 1) % 3 != 0) {
      throw new IllegalArgumentException("PBFT needs n = 3f+1 >= 4 nodes (4, 7, 10, ...), got n = "
          + n + (n < 4 ? "" : "; nearest valid: " + (n - (n - 1) % 3) + " or "
          + (n - (n - 1) % 3 + 3)));
    }
    Map<String, String> endpoints = new HashMap<>();
    Map<String, String> keyOwners = new HashMap<>();
    for (int i = 0; i < n; i++) {
      GenesisNode node = nodes.get(i);
      if (node.id().index() != i) {
        throw new IllegalArgumentException("nodes must be node-0..node-" + (n - 1)
            + " in order: nodes[" + i + "] is " + node.id() + ", expected node-" + i);
      }
      claimEndpoint(endpoints, node.host(), node.pekkoPort(), node.id() + " pekkoPort");
      claimEndpoint(endpoints, node.host(), node.httpPort(), node.id() + " httpPort");
      claimKey(keyOwners, node.publicKey(), node.id().toString());
    }
    Set<ClientId> clientIds = new HashSet<>();
    for (int j = 0; j < clients.size(); j++) {
      GenesisClient client = clients.get(j);
      if (!clientIds.add(client.id())) {
        throw new IllegalArgumentException("client id " + client.id() + " is listed twice "
            + "(again at clients[" + j + "])");
      }
      claimKey(keyOwners, client.publicKey(), client.id().toString());
    }
    if (caCertificate != null) {
      checkCaCertificate(caCertificate);
    }
  }

  /** A genesis without a CA certificate. */
  public static Genesis of(String clusterId, List<GenesisNode> nodes, List<GenesisClient> clients) {
    return new Genesis(clusterId, nodes, clients, null);
  }

  /** This genesis with {@code caCertificatePem} as its CA certificate. */
  public Genesis withCaCertificate(String caCertificatePem) {
    return new Genesis(clusterId, nodes, clients, caCertificatePem);
  }

  // ---------------------------------------------------------------- reading and writing

  /**
   * Reads and validates a genesis file.
   *
   * @throws CryptoFileException naming the file and the problem: missing file, malformed JSON
   *     (with line and column), unknown or missing field, or a failed validation (with the JSON
   *     path, e.g. {@code nodes[2]})
   */
  public static Genesis read(Path file) throws CryptoFileException {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CryptoFileException(file, "genesis file does not exist", e);
    } catch (MalformedInputException e) {
      throw new CryptoFileException(file, "genesis file is not UTF-8 text", e);
    } catch (IOException e) {
      throw new CryptoFileException(file, "cannot read genesis file: " + e, e);
    }
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      throw new CryptoFileException(file, e.getMessage(), e.getCause());
    }
  }

  /**
   * Parses and validates genesis JSON.
   *
   * @throws IllegalArgumentException with the problem, as for {@link #read(Path)}
   */
  public static Genesis fromJson(String json) {
    return parse(json);
  }

  /** Writes this genesis as pretty JSON (atomically: temporary sibling, then move). */
  public void write(Path file) throws IOException {
    KeyFiles.write(file, toJson(), false);
  }

  /** Pretty JSON, ending with a newline. */
  public String toJson() {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write genesis JSON", e);
    }
  }

  private static Genesis parse(String json) {
    ObjectReader reader = Json.mapper().readerFor(Genesis.class)
        .without(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
    try {
      Genesis g = reader.readValue(json);
      if (g == null) {
        throw new IllegalArgumentException("invalid genesis: empty document");
      }
      return g;
    } catch (JsonMappingException e) {
      IllegalArgumentException validation = findValidationError(e);
      String where = path(e);
      if (validation != null) {
        throw new IllegalArgumentException("invalid genesis: " + (where.isEmpty() ? "" : where
            + ": ") + validation.getMessage(), e);
      }
      throw new IllegalArgumentException("invalid genesis" + (where.isEmpty() ? "" : " at "
          + where) + ": " + e.getOriginalMessage() + location(e), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed genesis JSON: " + e.getOriginalMessage()
          + location(e), e);
    }
  }

  private static IllegalArgumentException findValidationError(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException iae) {
        return iae;
      }
    }
    return null;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String location(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0 ? ""
        : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  // ---------------------------------------------------------------- helpers

  /** n, the number of replicas. */
  @JsonIgnore
  public int n() {
    return nodes.size();
  }

  /** f = (n - 1) / 3, the number of faulty replicas tolerated. */
  @JsonIgnore
  public int f() {
    return (nodes.size() - 1) / 3;
  }

  /** {@code node-0 .. node-(n-1)}. */
  @JsonIgnore
  public List<NodeId> nodeIds() {
    return nodes.stream().map(GenesisNode::id).toList();
  }

  /** The replica {@code id}, if it is a member. */
  public Optional<GenesisNode> node(NodeId id) {
    return id != null && id.index() < nodes.size() ? Optional.of(nodes.get(id.index()))
        : Optional.empty();
  }

  /** The client {@code id}, if it is a member. */
  public Optional<GenesisClient> client(ClientId id) {
    return clients.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * {@code http://host:httpPort} of replica {@code id}.
   *
   * @throws IllegalArgumentException if {@code id} is not a member
   */
  public String httpUrl(NodeId id) {
    return node(id).orElseThrow(() -> new IllegalArgumentException(
        id + " is not a member of cluster " + clusterId + " (n = " + n() + ")")).httpUrl();
  }

  /** The CA certificate, if the genesis carries one. */
  public Optional<X509CertificateHolder> caCertificateHolder() {
    return caCertificate == null ? Optional.empty()
        : Optional.of((X509CertificateHolder) KeyFiles.parsePem(caCertificate, "caCertificate"));
  }

  private static void claimEndpoint(Map<String, String> endpoints, String host, int port,
      String what) {
    String endpoint = host.toLowerCase(Locale.ROOT) + ":" + port;
    String previous = endpoints.putIfAbsent(endpoint, what);
    if (previous != null) {
      throw new IllegalArgumentException("port clash on " + host + ":" + port + ": " + what
          + " is also " + previous);
    }
  }

  private static void claimKey(Map<String, String> owners, String publicKey, String who) {
    String key = HexFormat.of().formatHex(KeyFiles.decodePublicKey(publicKey));
    String previous = owners.putIfAbsent(key, who);
    if (previous != null) {
      throw new IllegalArgumentException(who + " has the same public key as " + previous
          + "; every member needs its own key");
    }
  }

  private static void checkCaCertificate(String pem) {
    Object o;
    try {
      o = KeyFiles.parsePem(pem, "caCertificate");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (!(o instanceof X509CertificateHolder cert)) {
      throw new IllegalArgumentException("caCertificate is not an X.509 certificate PEM");
    }
    var alg = cert.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm();
    if (!EdECObjectIdentifiers.id_Ed25519.equals(alg)) {
      throw new IllegalArgumentException(
          "caCertificate has a key of algorithm " + alg + ", expected Ed25519 (1.3.101.112)");
    }
  }

  @Override
  public String toString() {
    return "Genesis(" + clusterId + ", n=" + n() + ", clients=" + clients.size()
        + (caCertificate == null ? "" : ", with CA") + ")";
  }
}
