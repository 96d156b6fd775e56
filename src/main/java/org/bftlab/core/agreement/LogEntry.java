package org.bftlab.core.agreement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.quorum.VoteTally;

/**
 * The messages logged for one (view, seqNo) (OSDI'99 §4.2): the accepted PRE-PREPARE, the first
 * PREPARE and the first COMMIT of every sender, and this replica's own PREPARE and COMMIT.
 * Votes are tallied per digest, each sender once, so a duplicate never grows a quorum.
 *
 * <p>Read-only to everyone outside this package; mutated only from {@code apply}.
 */
public final class LogEntry {
  private final long view;
  private final long seqNo;
  private PrePrepare prePrepare;
  private final Map<NodeId, Prepare> prepares = new LinkedHashMap<>();
  private final Map<NodeId, Commit> commits = new LinkedHashMap<>();
  private final VoteTally<Digest, NodeId> prepareVotes = new VoteTally<>();
  private final VoteTally<Digest, NodeId> commitVotes = new VoteTally<>();
  private Prepare ownPrepare;
  private Commit ownCommit;
  private boolean prepared;

  LogEntry(long view, long seqNo) {
    this.view = view;
    this.seqNo = seqNo;
  }

  /** v. */
  public long view() {
    return view;
  }

  /** n. */
  public long seqNo() {
    return seqNo;
  }

  /** The accepted (or, at the primary, sent) PRE-PREPARE for (v, n), if any. */
  public Optional<PrePrepare> prePrepare() {
    return Optional.ofNullable(prePrepare);
  }

  /** d of the logged PRE-PREPARE, if any. */
  public Optional<Digest> digest() {
    return prePrepare().map(PrePrepare::digest);
  }

  /** The first PREPARE of each sender, own included (read-only). */
  public Map<NodeId, Prepare> prepares() {
    return Collections.unmodifiableMap(prepares);
  }

  /** The first COMMIT of each sender, own included (read-only). */
  public Map<NodeId, Commit> commits() {
    return Collections.unmodifiableMap(commits);
  }

  /** This replica's own signed PREPARE for (v, n), if it sent one. */
  public Optional<Prepare> ownPrepare() {
    return Optional.ofNullable(ownPrepare);
  }

  /** This replica's own signed COMMIT for (v, n), if it sent one. */
  public Optional<Commit> ownCommit() {
    return Optional.ofNullable(ownCommit);
  }

  /** True once <em>prepared</em>(m, v, n, i) became true here (a {@code Prepared} event). */
  public boolean isPrepared() {
    return prepared;
  }

  /** Distinct senders whose PREPARE matches {@code d}. */
  public int matchingPrepares(Digest d) {
    return prepareVotes.count(d);
  }

  /** Distinct senders whose COMMIT matches {@code d}. */
  public int matchingCommits(Digest d) {
    return commitVotes.count(d);
  }

  /** True when {@code sender} already has a PREPARE logged here. */
  public boolean hasPrepareFrom(NodeId sender) {
    return prepares.containsKey(sender);
  }

  /** True when {@code sender} already has a COMMIT logged here. */
  public boolean hasCommitFrom(NodeId sender) {
    return commits.containsKey(sender);
  }

  void logPrePrepare(PrePrepare pp) {
    if (prePrepare != null && !prePrepare.digest().equals(pp.digest())) {
      throw new IllegalStateException("two PRE-PREPAREs with different digests for (v=" + view
          + ", n=" + seqNo + "): " + prePrepare.digest().shortHex() + " and "
          + pp.digest().shortHex());
    }
    prePrepare = pp;
  }

  void logOwnPrepare(Prepare p) {
    if (p == null) {
      return; // learnt passively: no own PREPARE
    }
    if (ownPrepare != null && !ownPrepare.digest().equals(p.digest())) {
      throw new IllegalStateException("would sign a second PREPARE digest for (v=" + view
          + ", n=" + seqNo + ")");
    }
    ownPrepare = p;
    logPrepare(p);
  }

  void logPrepare(Prepare p) {
    if (prepares.putIfAbsent(p.sender(), p) == null) {
      prepareVotes.add(p.digest(), p.sender());
    }
  }

  void logCommit(Commit c) {
    if (commits.putIfAbsent(c.sender(), c) == null) {
      commitVotes.add(c.digest(), c.sender());
    }
  }

  void markPrepared(Commit own) {
    if (own == null) {
      prepared = true; // learnt passively during a view change: no own COMMIT
      return;
    }
    if (ownCommit != null && !ownCommit.digest().equals(own.digest())) {
      throw new IllegalStateException("would sign a second COMMIT digest for (v=" + view
          + ", n=" + seqNo + ")");
    }
    prepared = true;
    ownCommit = own;
    logCommit(own);
  }

  @Override
  public String toString() {
    return "LogEntry(v=" + view + ", n=" + seqNo + ", d="
        + digest().map(Digest::shortHex).orElse("none") + ", prepares=" + prepares.keySet()
        + ", commits=" + commits.keySet() + ", prepared=" + prepared + ")";
  }
}
