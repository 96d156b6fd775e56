package org.bftlab.transport.byzantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.assertj.core.api.Assertions;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReplicaMessage;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ViewChange;
import org.bftlab.sim.SimKeys;
import org.junit.jupiter.api.Test;

/** Each strategy on its own: what it sends, and that forgeries are signed as intended. */
class ByzantineStrategiesTest {
  static final String CLUSTER = "sim";
  static final NodeId N0 = new NodeId(0);
  static final NodeId N1 = new NodeId(1);
  static final NodeId N2 = new NodeId(2);
  static final NodeId N3 = new NodeId(3);
  final ClientId client = new ClientId("client-0");
  final SimKeys keys = new SimKeys(1, 4, List.of(client), SimKeys.Scheme.MAC);
  final SplittableRandom rnd = new SplittableRandom(5);

  SendContext ctx(long now) {
    return new SendContext(N0, CLUSTER, NodeId.range(4), now, rnd, keys.replica(N0));
  }

  PrePrepare prePrepare(int requests) {
    List<Request> batch = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      batch.add(Request.sign(CLUSTER, client, i + 1, "token", "mint", List.of("client-0", "5"),
          keys.clientSigner(client)));
    }
    return PrePrepare.sign(CLUSTER, 0, 3, batch, N0, keys.replica(N0));
  }

  boolean valid(ProtocolMessage m) {
    return ((ReplicaMessage) m).verify(CLUSTER, keys.verifier());
  }

  @Test
  void silentSendsNothing() {
    assertThat(new ByzantineSpec.Silent().strategy().rewrite(N1, prePrepare(2), ctx(0)))
        .isEmpty();
  }

  @Test
  void equivocatorSendsAnotherValidlySignedBatchToTheVariantSideOnly() {
    ByzantineStrategy s = new ByzantineSpec.Equivocate(Set.of()).strategy();
    PrePrepare pp = prePrepare(2);
    ProtocolMessage toN1 = s.rewrite(N1, pp, ctx(0)).get(0).message();
    ProtocolMessage toN3 = s.rewrite(N3, pp, ctx(0)).get(0).message();
    assertThat(toN1).isSameAs(pp);
    PrePrepare variant = (PrePrepare) toN3;
    assertThat(variant.view()).isEqualTo(pp.view());
    assertThat(variant.seqNo()).isEqualTo(pp.seqNo());
    assertThat(variant.digest()).isNotEqualTo(pp.digest());
    assertThat(variant.digestMatchesBatch()).isTrue();
    assertThat(valid(variant)).isTrue();
    // its own COMMIT follows each side's digest
    Commit c = Commit.sign(CLUSTER, 0, 3, pp.digest(), N0, keys.replica(N0));
    Commit c3 = (Commit) s.rewrite(N3, c, ctx(1)).get(0).message();
    assertThat(c3.digest()).isEqualTo(variant.digest());
    assertThat(valid(c3)).isTrue();
    assertThat(s.rewrite(N1, c, ctx(1)).get(0).message()).isSameAs(c);
  }

  @Test
  void mutatorChangesContentButKeepsValidSignatures() {
    ByzantineStrategy s = new ByzantineSpec.Mutate(1.0).strategy();
    PrePrepare pp = prePrepare(1);
    int omitted = 0;
    int mutated = 0;
    for (int i = 0; i < 200; i++) {
      List<Outgoing> out = s.rewrite(N1, pp, ctx(i));
      if (out.isEmpty()) {
        omitted++;
        continue;
      }
      PrePrepare m = (PrePrepare) out.get(0).message();
      assertThat(out.get(0).note()).startsWith("mutated: ");
      assertThat(m.view() != pp.view() || m.seqNo() != pp.seqNo()
          || !m.digest().equals(pp.digest())).isTrue();
      assertThat(valid(m)).as("re-signed with its own key").isTrue();
      mutated++;
    }
    assertThat(omitted).isPositive();
    assertThat(mutated).isPositive();
  }

  @Test
  void forgerBreaksSignatures() {
    Outgoing o = new ByzantineSpec.ForgeSignature(1.0).strategy().rewrite(N1, prePrepare(1),
        ctx(0)).get(0);
    assertThat(valid(o.message())).isFalse();
    assertThat(o.note()).isEqualTo("forged signature");
  }

  @Test
  void replayerResendsOldMessagesOnlyOnceTheyAreOldEnough() {
    ByzantineStrategy s = new ByzantineSpec.Replay(1.0, 10).strategy();
    PrePrepare old = prePrepare(1);
    assertThat(s.rewrite(N1, old, ctx(0))).hasSize(1);
    assertThat(s.rewrite(N1, prePrepare(2), ctx(5))).hasSize(1);
    List<Outgoing> later = s.rewrite(N2, prePrepare(3), ctx(12)); // only tick 0 is 10+ old
    assertThat(later).hasSize(2);
    assertThat(later.get(1).message()).isSameAs(old);
    assertThat(later.get(1).to()).isEqualTo(N2);
  }

  ViewChange viewChange() {
    PrePrepare pp = prePrepare(1);
    List<Prepare> prepares = List.of(Prepare.sign(CLUSTER, 0, 3, pp.digest(), N1, keys.replica(N1)),
        Prepare.sign(CLUSTER, 0, 3, pp.digest(), N2, keys.replica(N2)));
    return ViewChange.sign(CLUSTER, 2, 0, List.of(),
        List.of(new PreparedCertificate(pp.header(), prepares)), N0, keys.replica(N0));
  }

  @Test
  void mutatorAlsoRewritesViewChangesAndNewViewsWithValidSignatures() {
    ByzantineStrategy s = new ByzantineSpec.Mutate(1.0).strategy();
    ViewChange vc = viewChange();
    NewView nv = NewView.sign(CLUSTER, 4, List.of(vc, vc), List.of(prePrepare(1).header()), N0,
        keys.replica(N0));
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < 300; i++) {
      for (ReplicaMessage m : List.<ReplicaMessage>of(vc, nv)) {
        List<Outgoing> out = s.rewrite(N1, m, ctx(i));
        if (out.isEmpty()) {
          seen.add(m.type() + " omit");
          continue;
        }
        ProtocolMessage altered = out.get(0).message();
        assertThat(altered).isNotEqualTo(m).isInstanceOf(m.getClass());
        assertThat(valid(altered)).as("re-signed with its own key").isTrue();
        seen.add(m.type() + " " + out.get(0).note());
      }
    }
    assertThat(seen).contains("VIEW-CHANGE mutated: view+1", "VIEW-CHANGE mutated: view-1",
        "VIEW-CHANGE mutated: seqNo+1", "VIEW-CHANGE mutated: drop-prepared", "VIEW-CHANGE omit",
        "NEW-VIEW mutated: view+1", "NEW-VIEW mutated: view-1",
        "NEW-VIEW mutated: drop-view-change", "NEW-VIEW mutated: drop-pre-prepare",
        "NEW-VIEW omit");
  }

  @Test
  void mutatorAnswersFetchesWithAWrongBatchUnderAValidSignature() {
    ByzantineStrategy s = new ByzantineSpec.Mutate(1.0).strategy();
    PrePrepare pp = prePrepare(1);
    FetchedBatch answer = FetchedBatch.sign(CLUSTER, pp.seqNo(), pp.digest(), pp.batch(), N0,
        keys.replica(N0));
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < 200; i++) {
      List<Outgoing> out = s.rewrite(N1, answer, ctx(i));
      if (out.isEmpty()) {
        continue;
      }
      seen.add(out.get(0).note());
      FetchedBatch altered = (FetchedBatch) out.get(0).message();
      assertThat(valid(altered)).as("re-signed with its own key").isTrue();
      assertThat(altered.digestMatchesBatch() && altered.digest().equals(pp.digest())
          && altered.seqNo() == pp.seqNo()).as("a mutated answer is wrong").isFalse();
    }
    assertThat(seen).contains("mutated: batch", "mutated: digest", "mutated: seqNo+1");
  }

  @Test
  void forgerAndReplayerCoverTheViewChangeToo() {
    ViewChange vc = viewChange();
    Outgoing forged = new ByzantineSpec.ForgeSignature(1.0).strategy().rewrite(N1, vc, ctx(0))
        .get(0);
    assertThat(forged.note()).isEqualTo("forged signature");
    assertThat(valid(forged.message())).isFalse();
    ByzantineStrategy replay = new ByzantineSpec.Replay(1.0, 10).strategy();
    replay.rewrite(N1, vc, ctx(0));
    List<Outgoing> later = replay.rewrite(N1, prePrepare(2), ctx(20));
    assertThat(later).hasSize(2);
    assertThat(later.get(1).message()).isSameAs(vc);
    assertThat(valid(later.get(1).message())).as("a replay is a real, validly signed message")
        .isTrue();
  }

  @Test
  void specsValidate() {
    Assertions.assertThatThrownBy(() -> new ByzantineSpec.Mutate(1.5))
        .hasMessageContaining("probability");
  }
}
