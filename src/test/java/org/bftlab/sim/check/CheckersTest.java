package org.bftlab.sim.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bftlab.core.agreement.AgreementEvent.CommittedLocal;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.ledger.TxEffect;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.sim.SimKeys;
import org.bftlab.sim.Simulation;
import org.bftlab.sim.SimulationResult;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;
import org.junit.jupiter.api.Test;

/** The checkers catch violations planted in an otherwise correct trace. */
class CheckersTest {
  final SimulationResult run = Simulation.nodes(4).seed(3).transactions(20).run();
  final SimKeys keys = new SimKeys(3, 4, List.of(new ClientId("client-0"),
      new ClientId("client-1")), SimKeys.Scheme.MAC);

  Trace copyWith(TraceEvent... extra) {
    Trace t = new Trace();
    for (TraceEvent e : run.trace().events()) {
      if (!e.is(Kind.END)) {
        t.add(e.tick(), kind(e), e.node(), e.component(), e.name(), e.peer(), e.detail(), e.data());
      }
    }
    for (TraceEvent e : extra) {
      t.add(e.tick(), kind(e), e.node(), e.component(), e.name(), e.peer(), e.detail(), e.data());
    }
    return t;
  }

  static Kind kind(TraceEvent e) {
    for (Kind k : Kind.values()) {
      if (e.is(k)) {
        return k;
      }
    }
    throw new IllegalArgumentException(e.kind());
  }

  static TraceEvent persisted(String node, Object event) {
    return new TraceEvent(0, 500, "persisted", node, "x", event.getClass().getSimpleName(), null,
        null, event);
  }

  @Test
  void aCorrectRunPasses() {
    assertThat(Checkers.judge(copyWith(), keys.verifier()).passed()).isTrue();
  }

  @Test
  void twoDigestsAtOneSeqNoOrTwoBlocksAtOneHeightFailAgreement() {
    Block real = ((BlockCommitted) run.trace().events().stream()
        .filter(e -> e.data() instanceof BlockCommitted).findFirst().orElseThrow().data()).block();
    Request forged = Request.sign("sim", new ClientId("client-9"), 1, "token", "mint",
        List.of("x", "1"), b -> new byte[64]);
    List<BlockEntry> entries = List.of(new BlockEntry(forged, ValidationCode.VALID, "ok"));
    Block other = new Block(new BlockHeader(real.height(), real.header().previousHash(),
        Digest.sha256(new byte[1]), real.header().resultsDigest(), 1), entries);
    Verdict v = Checkers.judge(copyWith(
        persisted("node-1", new CommittedLocal(0, 1, Digest.sha256(new byte[] {7}))),
        persisted("node-1", new BlockCommitted(0, other, List.of(TxEffect.NONE)))),
        keys.verifier());
    assertThat(v.safe()).isFalse();
    assertThat(v.check("agreement-seqno").status()).isEqualTo("fail");
    assertThat(v.check("agreement-height").status()).isEqualTo("fail");
    assertThat(v.check("merkle-roots").status()).isEqualTo("fail");
    assertThat(v.check("validity").violations().get(0)).contains("no client submitted");
  }

  @Test
  void aCorrectNodeSigningTwoDigestsIsSelfEquivocation() {
    Prepare p1 = new Prepare(0, 1, Digest.sha256(new byte[] {1}), new NodeId(1), new byte[64]);
    Prepare p2 = new Prepare(0, 1, Digest.sha256(new byte[] {2}), new NodeId(1), new byte[64]);
    Verdict v = Checkers.judge(copyWith(
        new TraceEvent(0, 500, "send", "node-1", null, "PREPARE", "node-0", null, p1),
        new TraceEvent(0, 501, "send", "node-1", null, "PREPARE", "node-0", null, p2)),
        keys.verifier());
    assertThat(v.check("no-self-equivocation").violations())
        .anyMatch(x -> x.contains("node-1 signed two digests for PREPARE v=0 n=1"));
    assertThat(v.safe()).isFalse();
  }

  @Test
  void verdictJsonShape() {
    String json = run.verdict().toJson();
    assertThat(json).startsWith("{\"seed\":3,\"n\":4,\"f\":1,\"faultModel\":\"within\","
        + "\"faultyNodes\":[],\"crashRecovered\":[],\"safe\":true,\"live\":true,"
        + "\"liveness\":\"live\",\"livenessNote\":null,"
        + "\"checks\":[{\"name\":\"agreement-seqno\"");
  }
}
