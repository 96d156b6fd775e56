package org.bftlab.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.bftlab.core.model.NodeId;

/**
 * One node's settings, read once from the {@code bftlab} section of its configuration.
 *
 * @param nodeId this replica
 * @param genesisFile path of the genesis file
 * @param privateKeyFile this replica's private key (PEM PKCS#8)
 * @param dataDir the node's data directory (journal, snapshots)
 * @param httpHost HTTP bind address
 * @param httpPort HTTP port; 0 means "the port the genesis file gives"
 * @param tick length of one protocol tick
 * @param protocol protocol tuning (batch, checkpoint interval, watermark window …)
 * @param journal LevelDB journal settings
 * @param askTimeout how long the HTTP API waits for the node's actors
 */
public record NodeSettings(NodeId nodeId, Path genesisFile, Path privateKeyFile, Path dataDir,
    String httpHost, int httpPort, Duration tick, ProtocolTuning protocol, JournalSettings journal,
    Duration askTimeout) {

  /**
   * Reads {@code bftlab.*} from {@code config}.
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid
   */
  public static NodeSettings from(Config root) {
    try {
      Config c = root.getConfig("bftlab");
      NodeId id = NodeId.parse(c.getString("node-id"));
      Path genesis = Path.of(c.getString("genesis"));
      String key = c.getString("private-key");
      Path keyFile = key.isBlank()
          ? defaultKeyFile(genesis, id)
          : Path.of(key);
      Duration tick = c.getDuration("tick");
      if (tick.isNegative() || tick.isZero()) {
        throw new IllegalArgumentException("bftlab.tick must be positive, got " + tick);
      }
      int port = c.getInt("http.port");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("bftlab.http.port must be 0..65535, got " + port);
      }
      return new NodeSettings(id, genesis, keyFile, Path.of(c.getString("data-dir")),
          c.getString("http.host"), port, tick, ProtocolTuning.from(c.getConfig("protocol")),
          JournalSettings.from(c.getConfig("journal")), c.getDuration("ask-timeout"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
    }
  }

  /** {@code <genesis dir>/nodes/<node>.key}. */
  public static Path defaultKeyFile(Path genesis, NodeId id) {
    Path dir = genesis.toAbsolutePath().getParent();
    return dir.resolve("nodes").resolve(id + ".key");
  }

  /** A copy with another data directory. */
  public NodeSettings withDataDir(Path dir) {
    return new NodeSettings(nodeId, genesisFile, privateKeyFile, dir, httpHost, httpPort, tick,
        protocol, journal, askTimeout);
  }
}
