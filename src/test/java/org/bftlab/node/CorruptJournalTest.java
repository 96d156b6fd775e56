package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bftlab.client.BftlabClient;
import org.bftlab.core.model.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal that fails its checksum stops the node with a clear error instead of being served
 * (crash safety). With bftlab.journal.checksum = on the node reads its whole LevelDB journal
 * with checksum verification before it starts ({@link JournalCheck}) and refuses a corrupt one.
 */
class CorruptJournalTest {
  private static final NodeId VICTIM = new NodeId(1);

  @Test
  void corruptJournalStopsTheNodeWithAClearError(@TempDir Path dir) throws Exception {
    LocalCluster cluster = ClusterSupport.startNew(dir, 4, 1, "bftlab-corrupt");
    try {
      List<BftlabClient> clients = ClusterSupport.clients(cluster);
      try {
        ClusterSupport.runWorkload(clients, 11, 20, 4);
        long height = ClusterSupport.awaitSameHeads(clients.get(0), 4, 1).get(0).height();
        // stop, start (LevelDB turns its log into table files on open), stop again — after the
        // restarted node has finished replaying: stopping a node mid-replay lets Pekko's LevelDB
        // journal close the native database under a running iterator (a JVM crash in one JVM)
        cluster.stop(VICTIM);
        cluster.start(VICTIM);
        ClusterSupport.awaitSameHeads(clients.get(0), 4, height);
        cluster.stop(VICTIM);
      } finally {
        clients.forEach(BftlabClient::close);
      }
      Path journal = dir.resolve("data").resolve(VICTIM.toString()).resolve("journal");
      int corrupted = corruptTables(journal);
      System.out.println("corrupted " + corrupted + " LevelDB table file(s) in " + journal);
      assertThat(corrupted).as("LevelDB table files to corrupt").isPositive();

      assertThatThrownBy(() -> cluster.start(VICTIM))
          .as("a node refuses to start on a journal that fails its checksum")
          .isInstanceOf(IOException.class)
          .hasMessageContaining("fails its checksum")
          .hasMessageContaining(journal.toString())
          .satisfies(e -> System.out.println("node-1 refused to start: " + e.getMessage()));
      assertThat(cluster.node(VICTIM)).isEmpty();
    } finally {
      cluster.close();
    }
  }

  /** Overwrites the middle of every LevelDB table file with garbage; returns how many. */
  private static int corruptTables(Path journal) throws IOException {
    int n = 0;
    try (Stream<Path> files = Files.list(journal)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ldb") || p.toString().endsWith(".sst"))
          .toList()) {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
          long len = raf.length();
          for (long pos = 16; pos < len - 64; pos += 97) {
            raf.seek(pos);
            raf.write(0x5a);
          }
        }
        n++;
      }
    }
    return n;
  }
}
