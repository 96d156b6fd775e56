package org.bftlab.node.k8s;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bftlab.core.model.NodeId;

/**
 * How this node's Pekko cluster forms, read once from {@code bftlab.discovery} (see
 * {@code application.conf}). The PBFT membership is always the genesis file's; this only
 * chooses how the Pekko cluster that carries the messages is joined.
 *
 * @param method {@link Method#SEED_NODES} (every genesis replica is a seed node) or {@link
 *     Method#KUBERNETES_API} (Pekko Management Cluster Bootstrap over Kubernetes API discovery)
 * @param nodeIdFromHostname take the node id from {@code hostname} ({@code bftlab-3} → {@code
 *     node-3}) instead of {@code bftlab.node-id}
 * @param hostname this machine's host name (the pod name on Kubernetes), may be empty
 * @param canonicalHostname the address Pekko remoting and management advertise (the pod IP);
 *     empty = the genesis host
 * @param requiredContactPoints contact points Cluster Bootstrap must see before it forms a new
 *     cluster; 0 = 2f+1 of the genesis (see {@link #requiredContactPoints(int)})
 */
public record DiscoverySettings(Method method, boolean nodeIdFromHostname, String hostname,
    String canonicalHostname, int requiredContactPoints) {

  /** How the Pekko cluster forms. */
  public enum Method {
    /** Seed nodes = every replica of the genesis file, in order. */
    SEED_NODES,
    /** Pekko Cluster Bootstrap with contact points from the Kubernetes API. */
    KUBERNETES_API
  }

  /** A StatefulSet pod's name: {@code <statefulset>-<ordinal>}. */
  private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)");

  public DiscoverySettings {
    if (requiredContactPoints < 0) {
      throw new IllegalArgumentException(
          "bftlab.discovery.required-contact-points must be >= 0, got " + requiredContactPoints);
    }
    hostname = hostname == null ? "" : hostname.trim();
    canonicalHostname = canonicalHostname == null ? "" : canonicalHostname.trim();
  }

  /** The defaults outside Kubernetes: seed nodes from the genesis, node id from the config. */
  public static DiscoverySettings seedNodes() {
    return new DiscoverySettings(Method.SEED_NODES, false, "", "", 0);
  }

  /**
   * Reads {@code bftlab.discovery}; absent = {@link #seedNodes()}.
   *
   * @throws IllegalArgumentException naming the setting that is invalid
   */
  public static DiscoverySettings from(Config root) {
    if (!root.hasPath("bftlab.discovery")) {
      return seedNodes();
    }
    try {
      Config c = root.getConfig("bftlab.discovery");
      String m = c.getString("method").trim().toLowerCase(Locale.ROOT);
      Method method = switch (m) {
        case "seed-nodes", "" -> Method.SEED_NODES;
        case "kubernetes-api" -> Method.KUBERNETES_API;
        default -> throw new IllegalArgumentException("bftlab.discovery.method must be "
            + "seed-nodes or kubernetes-api, got \"" + m + '"');
      };
      return new DiscoverySettings(method, c.getBoolean("node-id-from-hostname"),
          c.getString("hostname"), c.getString("canonical-hostname"),
          c.getInt("required-contact-points"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
    }
  }

  /** True when the Pekko cluster forms through Cluster Bootstrap. */
  public boolean bootstrap() {
    return method == Method.KUBERNETES_API;
  }

  /**
   * The node id a StatefulSet pod's host name stands for: the ordinal after the last dash
   * ({@code bftlab-3} → {@code node-3}; a fully qualified {@code bftlab-3.bftlab.ns.svc} works
   * too).
   *
   * @throws IllegalArgumentException when the host name does not end in {@code -<ordinal>}
   */
  public static NodeId nodeIdOf(String hostname) {
    String first = hostname == null ? "" : hostname.trim();
    int dot = first.indexOf('.');
    if (dot >= 0) {
      first = first.substring(0, dot);
    }
    Matcher m = ORDINAL.matcher(first);
    if (!m.matches()) {
      throw new IllegalArgumentException("bftlab.discovery.node-id-from-hostname is on but the "
          + "host name \"" + hostname + "\" does not end in -<ordinal> (a StatefulSet pod is "
          + "named <statefulset>-<ordinal>, e.g. bftlab-3)");
    }
    return NodeId.parse("node-" + Integer.parseInt(m.group(1)));
  }

  /**
   * {@code root} with {@code bftlab.node-id} set from the host name when {@link
   * #nodeIdFromHostname} is on; otherwise {@code root} unchanged.
   *
   * @throws IllegalArgumentException when the host name carries no ordinal
   */
  public Config applyNodeId(Config root) {
    if (!nodeIdFromHostname) {
      return root;
    }
    return root.withValue("bftlab.node-id",
        ConfigValueFactory.fromAnyRef(nodeIdOf(hostname).toString()));
  }

  /** The address to advertise: the canonical host name if set, else {@code genesisHost}. */
  public String advertisedHost(String genesisHost) {
    return canonicalHostname.isEmpty() ? genesisHost : canonicalHostname;
  }

  /**
   * Contact points Cluster Bootstrap must see before forming a new cluster: the configured
   * number, or 2f+1 = n − f. Two sets of 2f+1 of the n = 3f+1 pods always share at least f+1
   * pods, and f pods (a minority that a partition or a slow start can isolate) never reach it, so
   * one StatefulSet cannot form two clusters.
   *
   * @param n replicas in the genesis
   */
  public int requiredContactPoints(int n) {
    if (requiredContactPoints > 0) {
      return requiredContactPoints;
    }
    int f = (n - 1) / 3;
    return n - f;
  }
}
