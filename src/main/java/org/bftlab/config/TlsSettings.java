package org.bftlab.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.Objects;
import org.bftlab.core.model.NodeId;

/**
 * How a node protects its Pekko (Artery) connections to the other replicas, read once from
 * {@code bftlab.transport}:
 *
 * <pre>
 * bftlab.transport {
 *   tls = on              # mutual TLS 1.3 between replicas (off: plain TCP)
 *   certificate = ""      # empty: &lt;genesis dir&gt;/nodes/&lt;node-id&gt;.crt
 *   ca-certificate = ""   # empty: &lt;genesis dir&gt;/ca.crt
 * }
 * </pre>
 *
 * The TLS private key is the replica's Ed25519 signing key ({@code bftlab.private-key}): a peer is
 * accepted only if its certificate carries a key the genesis file lists for a replica.
 *
 * @param enabled mutual TLS on Artery ({@code tls-tcp}); false: plain TCP
 * @param nodeId this replica
 * @param genesisFile the genesis file (membership: replica keys, CA certificate)
 * @param certificate this replica's certificate (PEM), issued by the cluster CA for its key
 * @param privateKey this replica's Ed25519 private key (PEM PKCS#8)
 * @param caCertificate the cluster CA's certificate (PEM), the only trust anchor
 */
public record TlsSettings(boolean enabled, NodeId nodeId, Path genesisFile, Path certificate,
    Path privateKey, Path caCertificate) {

  public TlsSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(genesisFile, "genesisFile");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificate, "caCertificate");
  }

  /**
   * Reads {@code bftlab.transport} of {@code root} for the node {@code node} (its id, genesis
   * file and private key come from {@code node}; empty paths default next to the genesis file).
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid
   */
  public static TlsSettings from(Config root, NodeSettings node) {
    try {
      boolean on = root.getBoolean("bftlab.transport.tls");
      String cert = root.getString("bftlab.transport.certificate");
      String ca = root.getString("bftlab.transport.ca-certificate");
      Path genesis = node.genesisFile();
      return new TlsSettings(on, node.nodeId(), genesis,
          cert.isBlank() ? defaultCertificate(genesis, node.nodeId()) : Path.of(cert),
          node.privateKeyFile(),
          ca.isBlank() ? defaultCaCertificate(genesis) : Path.of(ca));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
    }
  }

  /** {@code <genesis dir>/nodes/<node>.crt}, where {@code cryptogen} writes it. */
  public static Path defaultCertificate(Path genesis, NodeId id) {
    return genesis.toAbsolutePath().getParent().resolve("nodes").resolve(id + ".crt");
  }

  /** {@code <genesis dir>/ca.crt}, where {@code cryptogen} writes it. */
  public static Path defaultCaCertificate(Path genesis) {
    return genesis.toAbsolutePath().getParent().resolve("ca.crt");
  }

  /** One line for logs and the demo: what protects the wire. */
  public String describe() {
    return enabled ? "mutual TLS 1.3 (tls-tcp), peers must hold a member certificate of the "
        + "cluster CA whose key the genesis lists" : "plain TCP (no TLS)";
  }
}
