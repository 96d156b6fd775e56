package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.bftlab.core.ledger.CheckpointCertificate;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's LevelDB block store: the {@code BlockStore} contract, and what a reopen finds. */
class LevelDbBlockStoreTest {

  private static Block block(long h, Digest previous, String tag) {
    return new Block(new BlockHeader(h, previous, Digest.sha256(tag.getBytes()), Digest.ZERO, 0),
        List.of());
  }

  @Test
  void appendIsIdempotentAReplacedBlockDropsTheTailAndAReopenKeepsEverything(@TempDir Path dir)
      throws Exception {
    Block b1 = block(1, Digest.ZERO, "a");
    Block b2 = block(2, b1.hash(), "a");
    Block b3 = block(3, b2.hash(), "a");
    CheckpointCertificate cert = new CheckpointCertificate(2, Digest.sha256(new byte[] {7}),
        List.of(new Checkpoint(2, Digest.sha256(new byte[] {9}), new NodeId(0), new byte[64])));
    boolean nativeDb = LevelDbProbe.nativeLoads();
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      s.append(b1);
      s.append(b2);
      s.append(b3);
      s.append(b2); // replay: nothing changes
      assertThat(s.height()).isEqualTo(3);
      assertThat(s.block(3)).contains(b3);
      s.certify(cert);
      s.sync();
      assertThatThrownBy(() -> s.append(block(5, Digest.ZERO, "x")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("hole");
    }
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      assertThat(s.height()).isEqualTo(3);
      assertThat(s.block(1)).contains(b1);
      for (long h : new long[] {1, 2}) {
        assertThat(s.certificateCovering(h)).hasValueSatisfying(c ->
            assertThat(c).usingRecursiveComparison().isEqualTo(cert));
      }
      assertThat(s.certificateCovering(3)).isEmpty();
      Block other = block(2, b1.hash(), "b");
      s.append(other); // a block never acknowledged is replaced, and what was above it dropped
      assertThat(s.height()).isEqualTo(2);
      assertThat(s.block(2)).contains(other);
      assertThat(s.block(3)).isEmpty();
    }
    try (LevelDbBlockStore s = LevelDbBlockStore.open(dir, nativeDb)) {
      assertThat(s.height()).isEqualTo(2);
    }
  }
}
