package org.bftlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplyCertificateTest {
  @Test
  void fPlusOneMatchingRepliesFromDistinctReplicasCertify() {
    ReplyCertificate<String, Integer> c = new ReplyCertificate<>(1);
    assertThat(c.add(0, "r")).isEmpty();
    assertThat(c.add(0, "r")).as("the same replica twice is one reply").isEmpty();
    assertThat(c.add(1, "other")).isEmpty();
    assertThat(c.best()).isEqualTo(1);
    assertThat(c.add(2, "r")).contains("r");
    assertThat(c.voters("r")).containsExactly(0, 2);
    assertThat(c.add(3, "other")).as("certified stays certified").contains("r");
  }

  @Test
  void aReplicaThatChangesItsStoryCountsWithItsFirstReplyOnly() {
    ReplyCertificate<String, Integer> c = new ReplyCertificate<>(1);
    c.add(0, "lie");
    c.add(0, "truth");
    assertThat(c.add(1, "truth")).isEmpty();
    assertThat(c.replies()).containsEntry(0, "lie").containsEntry(1, "truth");
    assertThat(c.add(2, "truth")).contains("truth");
  }

  @Test
  void fZeroNeedsOneReplyAndNegativeFIsRefused() {
    assertThat(new ReplyCertificate<String, Integer>(0).add(5, "x")).contains("x");
    assertThatThrownBy(() -> new ReplyCertificate<String, Integer>(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f must be >= 0");
  }
}
