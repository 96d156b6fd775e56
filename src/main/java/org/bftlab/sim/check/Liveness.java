package org.bftlab.sim.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bftlab.core.ledger.BlockCommitEvent.BlockCommitted;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.trace.RunInfo;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * Liveness from the trace: every distinct transaction the clients submitted is committed — f+1
 * nodes' {@code BlockCommitted} lines hold it with the same (height, validation code, result) —
 * within {@link RunInfo#livenessBoundTicks()} ticks after max(its first submission, the last
 * heal). The last heal is when the faults have healed: the last {@code heal} (a network rule
 * expired), {@code restart} (a crashed replica is back) or {@code resume} (a paused one is) line;
 * a replica crashed for good never heals and counts toward f instead ({@link FaultModel}). Every
 * transaction of the workload must have been submitted. Judged only within the fault model.
 */
final class Liveness {
  private Liveness() {}

  private record Outcome(long height, String code, String result) {}

  /** @param byzantine nodes whose REPLYs prove nothing (not counted toward f+1); may be empty */
  static CheckResult check(List<TraceEvent> lines, RunInfo run, Set<String> byzantine) {
    Map<String, Long> firstSubmit = new LinkedHashMap<>();
    Map<String, Map<String, Outcome>> outcomes = new HashMap<>();
    Map<String, Long> committed = new HashMap<>();
    long lastHeal = 0;
    for (TraceEvent e : lines) {
      if (e.is(Kind.SUBMIT)) {
        firstSubmit.putIfAbsent(e.detail(), e.tick());
      } else if (e.is(Kind.HEAL) || e.is(Kind.RESTART) || e.is(Kind.RESUME)) {
        lastHeal = Math.max(lastHeal, e.tick());
      } else if (e.data() instanceof BlockCommitted bc
          && !byzantine.contains(Checkers.identity(e.node()))) {
        Block b = bc.block();
        for (int i = 0; i < b.entries().size(); i++) {
          if (!bc.effects().get(i).indexed()) {
            continue;
          }
          BlockEntry x = b.entries().get(i);
          String txId = x.transaction().txId();
          Outcome o = new Outcome(b.height(), x.code().name(), x.result());
          Map<String, Outcome> byNode = outcomes.computeIfAbsent(txId, k -> new HashMap<>());
          byNode.putIfAbsent(e.node(), o);
          if (!committed.containsKey(txId)
              && byNode.values().stream().filter(o::equals).count() >= run.f() + 1) {
            committed.put(txId, e.tick());
          }
        }
      }
    }
    List<String> v = new ArrayList<>();
    if (firstSubmit.size() < run.distinctTransactions()) {
      v.add("only " + firstSubmit.size() + " of " + run.distinctTransactions()
          + " transactions were ever submitted (the setup did not commit)");
    }
    long end = lines.get(lines.size() - 1).tick();
    for (Map.Entry<String, Long> s : firstSubmit.entrySet()) {
      long deadline = Math.max(s.getValue(), lastHeal) + run.livenessBoundTicks();
      Long at = committed.get(s.getKey());
      if (at == null) {
        v.add("tx " + s.getKey().substring(0, 8) + " (submitted at " + s.getValue()
            + ") never committed; deadline " + deadline + ", run ended at " + end);
      } else if (at > deadline) {
        v.add("tx " + s.getKey().substring(0, 8) + " committed at " + at + ", after its deadline "
            + deadline);
      }
    }
    return CheckResult.of("liveness", v);
  }
}
