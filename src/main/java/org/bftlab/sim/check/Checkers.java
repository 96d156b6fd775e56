package org.bftlab.sim.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bftlab.core.agreement.AgreementEvent.CommittedLocal;
import org.bftlab.core.ledger.BlockBuilder;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.msg.MerkleTree;
import org.bftlab.core.model.Digest;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * Judges a run from its trace alone. Correct nodes, for the safety checks, are those with no
 * storage fault (amnesia, truncation, corruption) in the trace and not Byzantine (a {@code rule}
 * line named {@code byzantine:…} at the start); crash-recovered nodes with an intact journal are
 * correct and must stay safe too. The fault-model label is {@link FaultModel}'s (Castro &amp;
 * Liskov OSDI'99 §2): Byzantine, storage-faulty and crashed-never-restarted nodes count toward
 * f; a crash followed by a restart from an intact journal does not. Liveness is judged within
 * the fault model only, and is then counted from when the faults heal. A twin instance is named {@code node-i'} in the trace; it is the same node (identity
 * {@code node-i}) for every count. The only outside input is a verify-only {@link Authenticator} (public keys, as in the
 * genesis file) for the validity check.
 */
public final class Checkers {
  private Checkers() {}

  /** The verdict on {@code trace}. */
  public static Verdict judge(Trace trace, Authenticator verifier) {
    List<TraceEvent> lines = trace.events();
    RunInfo run = (RunInfo) lines.get(0).data();
    FaultModel model = FaultModel.of(lines, run.f());
    Set<String> excluded = model.excludedFromSafety();
    List<CheckResult> checks = new ArrayList<>();
    checks.add(agreementPerSeqNo(lines, excluded));
    Map<Long, Block> agreed = new TreeMap<>();
    checks.add(agreementPerHeight(lines, excluded, agreed));
    checks.add(hashChain(lines, excluded, agreed));
    checks.add(merkleRoots(lines));
    checks.add(validity(lines, verifier, run));
    checks.add(exactlyOnce(lines, excluded));
    checks.add(noSelfEquivocation(lines, excluded));
    CheckResult liveness = model.within() ? Liveness.check(lines, run, model.byzantine())
        : CheckResult.skipped("liveness", model.beyondReason());
    checks.add(liveness);
    boolean safe = checks.stream().filter(c -> !c.name().equals("liveness"))
        .allMatch(CheckResult::ok);
    String live = !model.within() ? Verdict.NOT_JUDGED
        : liveness.ok() ? Verdict.LIVE : Verdict.NOT_LIVE;
    return new Verdict(run.seed(), run.n(), run.f(), model.label(), model.faulty(),
        List.copyOf(model.crashRecovered()), safe, live,
        model.within() ? null : model.beyondReason(), checks);
  }

  /** The node a trace label names: {@code node-2'} (a twin instance) is {@code node-2}. */
  static String identity(String label) {
    return label != null && label.endsWith("'") ? label.substring(0, label.length() - 1) : label;
  }

  private static CheckResult agreementPerSeqNo(List<TraceEvent> lines, Set<String> excluded) {
    Map<Long, Digest> bySeqNo = new HashMap<>();
    Map<Long, String> who = new HashMap<>();
    List<String> v = new ArrayList<>();
    for (TraceEvent e : lines) {
      if (e.data() instanceof CommittedLocal c && e.is(Kind.PERSISTED)
          && !excluded.contains(identity(e.node()))) {
        Digest prior = bySeqNo.putIfAbsent(c.seqNo(), c.digest());
        who.putIfAbsent(c.seqNo(), e.node());
        if (prior != null && !prior.equals(c.digest())) {
          v.add("seqNo " + c.seqNo() + ": " + who.get(c.seqNo()) + " committed "
              + prior.shortHex() + ", " + e.node() + " committed " + c.digest().shortHex()
              + " (view " + c.view() + ", tick " + e.tick() + ")");
        }
      }
    }
    return CheckResult.of("agreement-seqno", v);
  }

  private static CheckResult agreementPerHeight(List<TraceEvent> lines, Set<String> excluded,
      Map<Long, Block> agreed) {
    Map<Long, String> who = new HashMap<>();
    List<String> v = new ArrayList<>();
    for (TraceEvent e : lines) {
      if (e.data() instanceof BlockCommitted bc && !excluded.contains(identity(e.node()))) {
        Block prior = agreed.putIfAbsent(bc.block().height(), bc.block());
        who.putIfAbsent(bc.block().height(), e.node());
        if (prior != null && !prior.hash().equals(bc.block().hash())) {
          v.add("height " + bc.block().height() + ": " + who.get(bc.block().height())
              + " has block " + prior.hash().shortHex() + ", " + e.node() + " has "
              + bc.block().hash().shortHex() + " (tick " + e.tick() + ")");
        }
      }
    }
    return CheckResult.of("agreement-height", v);
  }

  private static CheckResult hashChain(List<TraceEvent> lines, Set<String> excluded,
      Map<Long, Block> agreed) {
    List<String> v = new ArrayList<>();
    for (TraceEvent e : lines) {
      if (e.data() instanceof BlockCommitted bc && !excluded.contains(identity(e.node()))) {
        long h = bc.block().height();
        Digest prev = bc.block().header().previousHash();
        Digest expected = h == 1 ? Digest.ZERO
            : agreed.containsKey(h - 1) ? agreed.get(h - 1).hash() : null;
        if (expected != null && !expected.equals(prev)) {
          v.add(e.node() + " height " + h + ": previous hash " + prev.shortHex()
              + " is not the hash " + expected.shortHex() + " of height " + (h - 1));
        }
      }
    }
    return CheckResult.of("hash-chain", v);
  }

  private static CheckResult merkleRoots(List<TraceEvent> lines) {
    List<String> v = new ArrayList<>();
    Set<Digest> seen = new HashSet<>();
    for (TraceEvent e : lines) {
      if (e.data() instanceof BlockCommitted bc && seen.add(bc.block().hash())) {
        Block b = bc.block();
        Digest root = MerkleTree.rootOf(b.entries().stream()
            .map(x -> x.transaction().digest()).toList());
        if (!root.equals(b.header().merkleRoot())) {
          v.add(e.node() + " height " + b.height() + ": Merkle root " + b.header().merkleRoot()
              .shortHex() + " but the transactions give " + root.shortHex());
        }
        if (!BlockBuilder.resultsDigest(b.entries()).equals(b.header().resultsDigest())) {
          v.add(e.node() + " height " + b.height() + ": results digest does not match entries");
        }
      }
    }
    return CheckResult.of("merkle-roots", v);
  }

  private static CheckResult validity(List<TraceEvent> lines, Authenticator verifier,
      RunInfo run) {
    Set<Digest> submitted = new HashSet<>();
    List<String> v = new ArrayList<>();
    for (TraceEvent e : lines) {
      if (e.is(Kind.SUBMIT) && e.data() instanceof Request r) {
        submitted.add(r.digest());
      } else if (e.data() instanceof BlockCommitted bc) {
        for (BlockEntry x : bc.block().entries()) {
          Request r = x.transaction();
          if (!submitted.contains(r.digest())) {
            v.add(e.node() + " height " + bc.block().height() + " holds " + r
                + ", which no client submitted");
          } else if (x.code() == ValidationCode.VALID && !r.verify(verifier)) {
            v.add(e.node() + " height " + bc.block().height() + ": VALID " + r
                + " does not verify under its client's key");
          }
        }
      }
    }
    return CheckResult.of("validity", v);
  }

  private static CheckResult exactlyOnce(List<TraceEvent> lines, Set<String> excluded) {
    Map<String, Map<Long, Block>> chains = new TreeMap<>();
    for (TraceEvent e : lines) {
      if (e.data() instanceof BlockCommitted bc && !excluded.contains(identity(e.node()))) {
        chains.computeIfAbsent(e.node(), k -> new TreeMap<>()).put(bc.block().height(),
            bc.block());
      }
    }
    List<String> v = new ArrayList<>();
    chains.forEach((node, chain) -> {
      Map<String, Long> executed = new HashMap<>();
      for (Block b : chain.values()) {
        for (BlockEntry x : b.entries()) {
          if (x.code() == ValidationCode.DUPLICATE_TXID) {
            continue;
          }
          Request r = x.transaction();
          Long first = executed.putIfAbsent(r.client().value() + "@" + r.timestamp(), b.height());
          if (first != null) {
            v.add(node + ": (" + r.client() + ", t=" + r.timestamp() + ") executed at heights "
                + first + " and " + b.height());
          }
        }
      }
    });
    return CheckResult.of("exactly-once", v);
  }

  private static CheckResult noSelfEquivocation(List<TraceEvent> lines, Set<String> excluded) {
    Map<String, Digest> signed = new HashMap<>();
    List<String> v = new ArrayList<>();
    for (TraceEvent e : lines) {
      String key;
      Digest d;
      String sender;
      if (e.data() instanceof PrePrepare m) {
        key = "PRE-PREPARE v=" + m.view() + " n=" + m.seqNo();
        d = m.digest();
        sender = m.sender().toString();
      } else if (e.data() instanceof Prepare m) {
        key = "PREPARE v=" + m.view() + " n=" + m.seqNo();
        d = m.digest();
        sender = m.sender().toString();
      } else if (e.data() instanceof Commit m) {
        key = "COMMIT v=" + m.view() + " n=" + m.seqNo();
        d = m.digest();
        sender = m.sender().toString();
      } else if (e.data() instanceof Checkpoint m) {
        key = "CHECKPOINT n=" + m.seqNo();
        d = m.digest();
        sender = m.sender().toString();
      } else {
        continue;
      }
      if (excluded.contains(sender)) {
        continue;
      }
      Digest prior = signed.putIfAbsent(sender + " " + key, d);
      if (prior != null && !prior.equals(d)) {
        v.add(sender + " signed two digests for " + key + ": " + prior.shortHex() + " and "
            + d.shortHex() + " (tick " + e.tick() + ")");
      }
    }
    return CheckResult.of("no-self-equivocation", v);
  }
}
