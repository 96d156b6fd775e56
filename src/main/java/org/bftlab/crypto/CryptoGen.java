package org.bftlab.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;

/**
 * Generates a cluster's key material and genesis, like Hyperledger Fabric's {@code cryptogen}.
 *
 * <p>Layout under {@code out}:
 *
 * <pre>
 * genesis.json            membership: cluster id, nodes (host, ports, public key), clients, CA cert
 * ca.crt                  the cluster CA's self-signed certificate (also inside genesis.json)
 * nodes/node-i.key        replica i's Ed25519 private key, PEM PKCS#8 (RFC 8410), mode 0600
 * nodes/node-i.crt        replica i's certificate, signed by the CA
 * clients/client-j.key    client j's private key
 * clients/client-j.crt    client j's certificate
 * admins/admin-k.key      operator k's private key (signs admin API requests), mode 0600
 * </pre>
 *
 * <p>Replica i listens on {@code host}, Pekko port {@code basePekkoPort + i}, HTTP port {@code
 * baseHttpPort + i}. The CA's private key is not written: membership is fixed by the genesis,
 * so nothing needs issuing later; re-run with {@code force} for a new cluster. Certificates are
 * valid from one hour before generation for ten years.
 */
public final class CryptoGen {
  /** Name of the genesis file inside the output directory. */
  public static final String GENESIS_FILE = "genesis.json";
  /** Validity of generated certificates. */
  public static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(3650);

  private CryptoGen() {}

  /**
   * What to generate.
   *
   * @param clusterId 1..64 characters of {@code [A-Za-z0-9._-]}
   * @param nodes n = 3f+1 >= 4
   * @param clients >= 1
   * @param out output directory (created if missing)
   * @param host host of every replica
   * @param basePekkoPort Pekko port of node-0; node-i gets {@code basePekkoPort + i}
   * @param baseHttpPort HTTP port of node-0; node-i gets {@code baseHttpPort + i}
   * @param force overwrite existing files
   * @param admins operators listed in the genesis ({@code admins/admin-k.key}); 0 turns the
   *     nodes' admin routes off
   * @throws IllegalArgumentException with the reason when a value is out of range
   */
  public record Options(String clusterId, int nodes, int clients, Path out, String host,
      int basePekkoPort, int baseHttpPort, boolean force, int admins) {
    public Options {
      if (admins < 0 || admins > 100) {
        throw new IllegalArgumentException("admins must be 0..100, got " + admins);
      }
      if (clusterId == null || !clusterId.matches(Genesis.CLUSTER_ID_PATTERN)) {
        throw new IllegalArgumentException(
            "cluster id must be 1..64 characters of [A-Za-z0-9._-], got \"" + clusterId + '"');
      }
      if (nodes < 4 || (nodes - 1) % 3 != 0) {
        int below = nodes - Math.floorMod(nodes - 1, 3);
        throw new IllegalArgumentException("PBFT needs n = 3f+1 >= 4 nodes (4, 7, 10, ...) to "
            + "tolerate f faulty ones, got --nodes " + nodes
            + (nodes < 4 ? "; use 4 (f = 1)"
                : "; use " + below + " (f = " + (below - 1) / 3 + ") or " + (below + 3)
                    + " (f = " + (below + 2) / 3 + ")"));
      }
      if (clients < 1) {
        throw new IllegalArgumentException("need at least 1 client, got " + clients);
      }
      Objects.requireNonNull(out, "out");
      if (host == null || !host.matches("\\S+")) {
        throw new IllegalArgumentException("host must be non-blank without whitespace, got \""
            + host + '"');
      }
      checkPorts("base Pekko port", basePekkoPort, nodes);
      checkPorts("base HTTP port", baseHttpPort, nodes);
      if (basePekkoPort < baseHttpPort + nodes && baseHttpPort < basePekkoPort + nodes) {
        throw new IllegalArgumentException("Pekko ports " + basePekkoPort + ".."
            + (basePekkoPort + nodes - 1) + " overlap HTTP ports " + baseHttpPort + ".."
            + (baseHttpPort + nodes - 1));
      }
    }

    /** With one admin ({@code admin-0}). */
    public Options(String clusterId, int nodes, int clients, Path out, String host,
        int basePekkoPort, int baseHttpPort, boolean force) {
      this(clusterId, nodes, clients, out, host, basePekkoPort, baseHttpPort, force, 1);
    }

    /**
     * 4 nodes, 2 clients, 1 admin, cluster {@code bftlab-local}, 127.0.0.1, ports 25520+ and
     * 8080+.
     */
    public static Options defaults(Path out) {
      return new Options("bftlab-local", 4, 2, out, "127.0.0.1", 25520, 8080, false);
    }

    public Options withAdmins(int k) {
      return new Options(clusterId, nodes, clients, out, host, basePekkoPort, baseHttpPort, force,
          k);
    }

    public Options withClusterId(String id) {
      return new Options(id, nodes, clients, out, host, basePekkoPort, baseHttpPort, force,
          admins);
    }

    public Options withNodes(int n) {
      return new Options(clusterId, n, clients, out, host, basePekkoPort, baseHttpPort, force,
          admins);
    }

    public Options withClients(int m) {
      return new Options(clusterId, nodes, m, out, host, basePekkoPort, baseHttpPort, force,
          admins);
    }

    public Options withHost(String h) {
      return new Options(clusterId, nodes, clients, out, h, basePekkoPort, baseHttpPort, force,
          admins);
    }

    public Options withPorts(int pekko, int http) {
      return new Options(clusterId, nodes, clients, out, host, pekko, http, force,
          admins);
    }

    public Options withForce(boolean f) {
      return new Options(clusterId, nodes, clients, out, host, basePekkoPort, baseHttpPort, f,
          admins);
    }

    private static void checkPorts(String what, int base, int n) {
      if (base < 1 || base + n - 1 > 65535) {
        throw new IllegalArgumentException(what + " " + base + " leaves no room for " + n
            + " nodes in 1..65535");
      }
    }
  }

  /**
   * What was generated.
   *
   * @param genesis the membership written to {@code genesisFile}
   * @param genesisFile {@code out/genesis.json}
   * @param files every file written, in the order written (genesis last)
   */
  public record Result(Genesis genesis, Path genesisFile, List<Path> files) {
    public Result {
      files = List.copyOf(files);
    }
  }

  /**
   * Where each replica listens (its genesis entry). The default: {@code options.host()} and the
   * base ports + i; on Kubernetes every pod has its own DNS name and the same ports.
   */
  public interface Endpoints {
    /** Host name or IP address of replica {@code id}. */
    String host(NodeId id);

    /** Pekko port of replica {@code id}. */
    int pekkoPort(NodeId id);

    /** HTTP port of replica {@code id}. */
    int httpPort(NodeId id);

    /** {@code options.host()}, {@code basePekkoPort + i}, {@code baseHttpPort + i}. */
    static Endpoints of(Options o) {
      return new Endpoints() {
        @Override
        public String host(NodeId id) {
          return o.host();
        }

        @Override
        public int pekkoPort(NodeId id) {
          return o.basePekkoPort() + id.index();
        }

        @Override
        public int httpPort(NodeId id) {
          return o.baseHttpPort() + id.index();
        }
      };
    }
  }

  /** Generates with a fresh {@link SecureRandom} and the current time. */
  public static Result generate(Options options) throws IOException {
    return generate(options, new SecureRandom(), Instant.now());
  }

  /**
   * Generates keys from {@code random}; certificates valid from {@code now - 1h} for {@link
   * #CERTIFICATE_VALIDITY}.
   *
   * @throws FileAlreadyExistsException naming the file if an output file exists and {@code
   *     options.force()} is false; nothing is written then
   * @throws IOException if writing fails
   */
  public static Result generate(Options options, SecureRandom random, Instant now)
      throws IOException {
    return generate(options, random, now, Endpoints.of(options));
  }

  /** As {@link #generate(Options, SecureRandom, Instant)} with each replica's own endpoints. */
  public static Result generate(Options options, SecureRandom random, Instant now,
      Endpoints endpoints) throws IOException {
    Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    CertificateAuthority ca = CertificateAuthority.create(options.clusterId(),
        Ed25519.generate(random), notBefore, notBefore.plus(CERTIFICATE_VALIDITY), random);
    return generate(options, ca, random, endpoints);
  }

  /**
   * Generates member keys from {@code random} and certificates issued by {@code ca} (with the
   * CA's validity). For tests that must issue more certificates under the same CA later (e.g.
   * an impostor's); {@code ca} must be for {@code options.clusterId()}.
   *
   * @throws IllegalArgumentException if {@code ca} is for another cluster
   * @throws FileAlreadyExistsException as {@link #generate(Options, SecureRandom, Instant)}
   * @throws IOException if writing fails
   */
  public static Result generate(Options options, CertificateAuthority ca, SecureRandom random)
      throws IOException {
    return generate(options, ca, random, Endpoints.of(options));
  }

  /** As {@link #generate(Options, CertificateAuthority, SecureRandom)} with own endpoints. */
  public static Result generate(Options options, CertificateAuthority ca, SecureRandom random,
      Endpoints endpoints) throws IOException {
    if (!ca.clusterId().equals(options.clusterId())) {
      throw new IllegalArgumentException("CA is for cluster " + ca.clusterId() + ", not "
          + options.clusterId());
    }
    Path out = options.out();
    Path nodesDir = out.resolve("nodes");
    Path clientsDir = out.resolve("clients");
    Path genesisFile = out.resolve(GENESIS_FILE);
    Path caFile = out.resolve("ca.crt");

    List<NodeId> nodeIds = NodeId.range(options.nodes());
    List<ClientId> clientIds = new ArrayList<>();
    for (int j = 0; j < options.clients(); j++) {
      clientIds.add(new ClientId("client-" + j));
    }
    Path adminsDir = out.resolve("admins");
    List<String> adminIds = new ArrayList<>();
    for (int k = 0; k < options.admins(); k++) {
      adminIds.add("admin-" + k);
    }
    List<Path> targets = new ArrayList<>(List.of(genesisFile, caFile));
    for (String id : adminIds) {
      targets.add(adminsDir.resolve(id + ".key"));
    }
    for (NodeId id : nodeIds) {
      targets.add(nodesDir.resolve(id + ".key"));
      targets.add(nodesDir.resolve(id + ".crt"));
    }
    for (ClientId id : clientIds) {
      targets.add(clientsDir.resolve(id + ".key"));
      targets.add(clientsDir.resolve(id + ".crt"));
    }
    if (!options.force()) {
      for (Path t : targets) {
        if (Files.exists(t)) {
          throw new FileAlreadyExistsException(t.toString(), null, "already exists; refusing to "
              + "overwrite the key material of an existing cluster (use --force to replace it)");
        }
      }
    }

    List<Path> written = new ArrayList<>();
    List<GenesisNode> nodes = new ArrayList<>();
    for (NodeId id : nodeIds) {
      Ed25519KeyPair kp = Ed25519.generate(random);
      Path key = nodesDir.resolve(id + ".key");
      Path crt = nodesDir.resolve(id + ".crt");
      KeyFiles.writePrivateKey(key, kp);
      KeyFiles.writeCertificate(crt, ca.issueReplica(id, endpoints.host(id), kp.publicKey()));
      written.add(key);
      written.add(crt);
      nodes.add(new GenesisNode(id, endpoints.host(id), endpoints.pekkoPort(id),
          endpoints.httpPort(id), kp.publicKeyBase64()));
    }
    List<GenesisClient> clients = new ArrayList<>();
    for (ClientId id : clientIds) {
      Ed25519KeyPair kp = Ed25519.generate(random);
      Path key = clientsDir.resolve(id + ".key");
      Path crt = clientsDir.resolve(id + ".crt");
      KeyFiles.writePrivateKey(key, kp);
      KeyFiles.writeCertificate(crt, ca.issueClient(id.value(), kp.publicKey()));
      written.add(key);
      written.add(crt);
      clients.add(new GenesisClient(id, kp.publicKeyBase64()));
    }
    List<GenesisAdmin> admins = new ArrayList<>();
    for (String id : adminIds) {
      Ed25519KeyPair kp = Ed25519.generate(random);
      Path key = adminsDir.resolve(id + ".key");
      KeyFiles.writePrivateKey(key, kp);
      written.add(key);
      admins.add(new GenesisAdmin(id, kp.publicKeyBase64()));
    }
    KeyFiles.writeCertificate(caFile, ca.certificate());
    written.add(caFile);
    Genesis genesis = new Genesis(options.clusterId(), nodes, clients, ca.certificatePem(),
        admins);
    genesis.write(genesisFile);
    written.add(genesisFile);
    return new Result(genesis, genesisFile, written);
  }
}
