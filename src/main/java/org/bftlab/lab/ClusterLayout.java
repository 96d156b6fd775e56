package org.bftlab.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.bftlab.crypto.CertificateAuthority;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisNode;

/**
 * The files of a freshly generated local cluster: {@code genesis.json}, {@code ca.crt},
 * {@code nodes/node-i.key|crt}, {@code clients/client-j.key|crt} (all from {@link CryptoGen}),
 * one {@code node-i.conf} per replica and {@code data/node-i/} for its journal.
 *
 * @param dir the directory holding everything
 * @param genesis the membership (each node at its own host, if asked)
 */
public record ClusterLayout(Path dir, Genesis genesis) {
  public ClusterLayout {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(genesis, "genesis");
  }

  /**
   * What to generate.
   *
   * @param clusterId cluster id ({@link Genesis#CLUSTER_ID_PATTERN})
   * @param nodes n = 3f+1 >= 4
   * @param clients clients {@code client-0 …} in the genesis file, >= 1
   * @param host node i's address (e.g. {@code i -> "127.0.0.1"})
   * @param basePekkoPort node-i's Pekko port is base + i; 0 searches free ports from 20000
   * @param baseHttpPort node-i's HTTP port is base + i; 0 searches free ports
   * @param extraConfig HOCON appended to every node's config file (may be empty)
   */
  public record Spec(String clusterId, int nodes, int clients, IntFunction<String> host,
      int basePekkoPort, int baseHttpPort, String extraConfig) {
    public Spec {
      Objects.requireNonNull(host, "host");
      extraConfig = extraConfig == null ? "" : extraConfig;
    }

    /** n nodes and 2 clients on 127.0.0.1, free ports, no extra configuration. */
    public static Spec of(String clusterId, int nodes) {
      return new Spec(clusterId, nodes, 2, i -> "127.0.0.1", 0, 0, "");
    }
  }

  /**
   * Generates {@code spec} into {@code dir} (created if missing; must not hold a cluster yet).
   *
   * @throws IOException when writing fails or {@code dir} already holds key material
   * @throws IllegalArgumentException when the spec is out of range (see {@link CryptoGen.Options})
   */
  public static ClusterLayout generate(Path dir, Spec spec) throws IOException {
    return generate(dir, spec, null);
  }

  /**
   * As {@link #generate(Path, Spec)}, with the members' certificates issued by {@code ca} (for
   * {@code spec.clusterId()}), or by a fresh CA whose key is discarded when {@code ca} is null.
   */
  public static ClusterLayout generate(Path dir, Spec spec,
      CertificateAuthority ca) throws IOException {
    Files.createDirectories(dir);
    int pekko = spec.basePekkoPort();
    int http = spec.baseHttpPort();
    if (pekko == 0 || http == 0) {
      pekko = freeRange(spec.nodes(), 20000);
      http = freeRange(spec.nodes(), pekko + spec.nodes() + 1);
    }
    CryptoGen.Options options = CryptoGen.Options.defaults(dir)
        .withClusterId(spec.clusterId()).withNodes(spec.nodes()).withClients(spec.clients())
        .withHost(spec.host().apply(0)).withPorts(pekko, http);
    CryptoGen.Result r = ca == null ? CryptoGen.generate(options)
        : CryptoGen.generate(options, ca, new SecureRandom());
    Genesis g = r.genesis();
    List<GenesisNode> placed = g.nodes().stream().map(n -> new GenesisNode(n.id(),
        spec.host().apply(n.id().index()), n.pekkoPort(), n.httpPort(), n.publicKey())).toList();
    g = new Genesis(g.clusterId(), placed, g.clients(), g.caCertificate());
    Files.delete(r.genesisFile());
    g.write(r.genesisFile());
    ClusterLayout layout = new ClusterLayout(dir.toAbsolutePath(), g);
    for (GenesisNode n : g.nodes()) {
      int i = n.id().index();
      String conf = "bftlab {\n"
          + "  node-id = \"" + n.id() + "\"\n"
          + "  genesis = \"" + layout.genesisFile() + "\"\n"
          + "  private-key = \"" + layout.dir().resolve("nodes").resolve(n.id() + ".key") + "\"\n"
          + "  data-dir = \"" + layout.dataDir(i) + "\"\n"
          + "  http.host = \"" + n.host() + "\"\n"
          + "}\n" + spec.extraConfig() + "\n";
      Files.writeString(layout.configFile(i), conf);
    }
    return layout;
  }

  /** n. */
  public int n() {
    return genesis.n();
  }

  /** f = (n - 1) / 3. */
  public int f() {
    return genesis.f();
  }

  /** {@code dir/genesis.json}. */
  public Path genesisFile() {
    return dir.resolve(CryptoGen.GENESIS_FILE);
  }

  /** node-i's config file. */
  public Path configFile(int i) {
    return dir.resolve("node-" + i + ".conf");
  }

  /** node-i's data directory (journal, snapshots). */
  public Path dataDir(int i) {
    return dir.resolve("data").resolve("node-" + i);
  }

  /** client-j's private key (PEM PKCS#8). */
  public Path clientKey(int j) {
    return dir.resolve("clients").resolve("client-" + j + ".key");
  }

  /** node-i's HTTP base URL. */
  public URI url(int i) {
    GenesisNode g = genesis.nodes().get(i);
    return URI.create("http://" + g.host() + ":" + g.httpPort());
  }

  /** Every node's HTTP base URL, in index order. */
  public List<URI> urls() {
    return genesis.nodes().stream().map(g -> url(g.id().index())).toList();
  }

  /** Lowest port p >= from such that p..p+count-1 are all free on the loopback address. */
  static int freeRange(int count, int from) {
    for (int base = from; base + count < 32768; base += count + 1) {
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket()) {
          s.setReuseAddress(false);
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no " + count + " free consecutive ports below 32768");
  }
}
