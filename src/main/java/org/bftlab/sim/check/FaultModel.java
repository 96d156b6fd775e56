package org.bftlab.sim.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bftlab.trace.TraceEvent;
import org.bftlab.trace.TraceEvent.Kind;

/**
 * Which replicas of a run count toward f, read from the trace alone — the system model of
 * Castro &amp; Liskov, OSDI'99 §2 (and TOCS'02 §2). PBFT distinguishes <i>faulty</i> replicas,
 * which may behave arbitrarily and of which at most f = ⌊(n−1)/3⌋ are tolerated, from correct
 * replicas, which follow the algorithm but run over an asynchronous network and may be slow. A
 * correct replica may also crash and recover: it keeps its state in stable storage (here, the
 * journal written before every send), so after a restart it resumes exactly where it stopped and
 * never signs anything that contradicts what it signed before — to its peers it is
 * indistinguishable from a slow replica. The rule, per node (twin instances {@code node-i'} are
 * the node {@code node-i}):
 *
 * <ul>
 *   <li><b>faulty (counts toward f)</b>: every Byzantine strategy (a {@code rule} line named
 *       {@code byzantine:…}); amnesia, journal truncation or corruption (including a restart
 *       refused on a corrupt journal): the replica may have forgotten what it signed, which
 *       crash-recovery with stable storage excludes; and a crash with no successful restart
 *       after it (the replica is down at the end of the run: it no longer takes part, as a
 *       crashed replica in the paper).
 *   <li><b>correct (does not count toward f)</b>: a crash followed by a restart from an intact
 *       journal, any number of times ({@link #crashRecovered()}); a pause (slowness, which the
 *       asynchronous model allows).
 * </ul>
 *
 * A run is {@code within} the fault model when at most f nodes are faulty, else {@code beyond}.
 * Safety is judged over the correct nodes (crash-recovered ones included) in every run; liveness
 * only within the fault model, counted from when the faults heal (see {@link Liveness}).
 *
 * @param f tolerated faulty replicas
 * @param byzantine nodes with a Byzantine strategy
 * @param storageFaulty nodes hit by amnesia, truncation or corruption
 * @param crashedForGood other nodes whose last crash is not followed by a (successful) restart
 * @param crashRecovered correct nodes that crashed and restarted from an intact journal
 */
public record FaultModel(int f, Set<String> byzantine, Set<String> storageFaulty,
    Set<String> crashedForGood, Set<String> crashRecovered) {
  public FaultModel {
    byzantine = Collections.unmodifiableSet(new TreeSet<>(byzantine));
    storageFaulty = Collections.unmodifiableSet(new TreeSet<>(storageFaulty));
    crashedForGood = Collections.unmodifiableSet(new TreeSet<>(crashedForGood));
    crashRecovered = Collections.unmodifiableSet(new TreeSet<>(crashRecovered));
  }

  /** The classification of the nodes of {@code lines} (a whole trace, in order). */
  public static FaultModel of(List<TraceEvent> lines, int f) {
    Set<String> byzantine = new TreeSet<>();
    Set<String> storage = new TreeSet<>();
    Map<String, Boolean> downAtEnd = new HashMap<>();
    for (TraceEvent e : lines) {
      String who = Checkers.identity(e.node());
      if (e.is(Kind.RULE) && e.name() != null && e.name().startsWith("byzantine")) {
        byzantine.add(who);
      } else if (e.is(Kind.AMNESIA) || e.is(Kind.TRUNCATE) || e.is(Kind.CORRUPT)
          || e.is(Kind.JOURNAL_CORRUPT)) {
        storage.add(who);
      } else if (e.is(Kind.CRASH)) {
        downAtEnd.put(who, true);
      } else if (e.is(Kind.RESTART)) {
        downAtEnd.put(who, false);
      }
    }
    Set<String> forGood = new TreeSet<>();
    Set<String> recovered = new TreeSet<>();
    downAtEnd.forEach((who, down) -> (down ? forGood : recovered).add(who));
    for (Set<String> s : List.of(forGood, recovered)) {
      s.removeAll(storage);
      s.removeAll(byzantine);
    }
    return new FaultModel(f, byzantine, storage, forGood, recovered);
  }

  /** Every node that counts toward f, sorted. */
  public List<String> faulty() {
    Set<String> s = new TreeSet<>(byzantine);
    s.addAll(storageFaulty);
    s.addAll(crashedForGood);
    return List.copyOf(s);
  }

  /** True when at most f nodes are faulty. */
  public boolean within() {
    return faulty().size() <= f;
  }

  /** {@code within} or {@code beyond}. */
  public String label() {
    return within() ? "within" : "beyond";
  }

  /** Nodes excluded from the safety checks: Byzantine or storage-faulty (may equivocate). */
  public Set<String> excludedFromSafety() {
    Set<String> s = new TreeSet<>(byzantine);
    s.addAll(storageFaulty);
    return s;
  }

  /** Why liveness is not judged, e.g. {@code beyond the fault model: 2 faulty > f = 1 (…)}. */
  public String beyondReason() {
    List<String> parts = new ArrayList<>();
    if (!byzantine.isEmpty()) {
      parts.add("Byzantine " + byzantine);
    }
    if (!storageFaulty.isEmpty()) {
      parts.add("storage fault " + storageFaulty);
    }
    if (!crashedForGood.isEmpty()) {
      parts.add("crashed, not restarted " + crashedForGood);
    }
    return "beyond the fault model: " + faulty().size() + " faulty > f = " + f + " ("
        + String.join("; ", parts) + ")";
  }
}
