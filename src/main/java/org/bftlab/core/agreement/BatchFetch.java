package org.bftlab.core.agreement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bftlab.core.Decision;
import org.bftlab.core.Output;
import org.bftlab.core.agreement.AgreementEvent.BatchRequested;
import org.bftlab.core.agreement.AgreementEvent.BatchServed;
import org.bftlab.core.agreement.AgreementEvent.PrePrepareAccepted;
import org.bftlab.core.agreement.AgreementEvent.Rejected;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.Request;

/**
 * Batches fetched on demand after a view change (OSDI'99 §4.4; TOCS'02 §5.1 and §6.2.1 on
 * request retransmission): VIEW-CHANGE and NEW-VIEW carry PRE-PREPARE headers (digests), so a
 * replica that installs a NEW-VIEW may hold the header ⟨v+1, n, d⟩ of O without the batch m
 * whose digest is d. It multicasts FETCH-BATCH ⟨n, d⟩ and, until the batch arrives, sends no
 * PREPARE for (v+1, n); other seqNos go on meanwhile.
 *
 * <ul>
 *   <li>Asking: at the install, then every retransmitTicks for each header still awaiting.
 *   <li>Answering: a member's FETCH-BATCH for n in this replica's window (h, H] whose batch it
 *       holds (logged in any view, found by digest), at most once per (peer, n) per
 *       retransmitTicks; anything else is dropped with its reason.
 *   <li>Accepting: the first FETCHED-BATCH from a member for an awaited (n, d) whose batch
 *       hashes to d and passes the PRE-PREPARE content rules ({@link Admission#batch}); the
 *       header and batch form the PRE-PREPARE of O, logged as {@link PrePrepareAccepted} with
 *       this backup's PREPARE (none at the primary, none inside a further view change). A wrong
 *       batch is dropped and counts toward nothing.
 * </ul>
 */
final class BatchFetch {
  private final ProtocolParams params;
  private final NodeId self;
  private final Authenticator auth;
  private final Admission admission;

  BatchFetch(ProtocolParams params, NodeId self, Authenticator auth, Admission admission) {
    this.params = params;
    this.self = self;
    this.auth = auth;
    this.admission = admission;
  }

  /**
   * Splits O into the PRE-PREPAREs whose batch this replica holds (rebuilt from the header and
   * the batch found by digest: same signature) and the headers it must fetch.
   */
  Split split(AgreementState s, List<PrePrepareHeader> o) {
    List<PrePrepare> held = new ArrayList<>();
    List<PrePrepareHeader> missing = new ArrayList<>();
    for (PrePrepareHeader h : o) {
      Optional<List<Request>> batch = s.batchFor(h.digest());
      if (batch.isPresent()) {
        held.add(h.withBatch(batch.get()));
      } else {
        missing.add(h);
      }
    }
    return new Split(held, missing);
  }

  /** O split by whether this replica holds the batch. */
  record Split(List<PrePrepare> held, List<PrePrepareHeader> missing) {}

  /**
   * Multicasts FETCH-BATCH for every awaited header not asked for within retransmitTicks (all
   * of them when {@code due} is false: right after the install, or after a restart).
   */
  void ask(AgreementState s, long now, boolean due, Decision.Builder<AgreementEvent> b) {
    List<Long> asked = new ArrayList<>();
    for (PrePrepareHeader h : s.awaitingBatch()) {
      long last = s.batchAskedAt(h.seqNo());
      if (due && last >= 0 && now - last < params.retransmitTicks()) {
        continue;
      }
      b.output(new Output.Multicast(
          FetchBatch.sign(params.clusterId(), h.seqNo(), h.digest(), self, auth)));
      asked.add(h.seqNo());
    }
    if (!asked.isEmpty()) {
      b.persist(new BatchRequested(asked, now));
    }
  }

  /** A peer's FETCH-BATCH: answered with the batch when the rules above allow, else dropped. */
  void onFetch(AgreementState s, FetchBatch f, Decision.Builder<AgreementEvent> b) {
    Optional<String> bad = fetchRejection(s, f);
    if (bad.isPresent()) {
      b.persist(new Rejected(f.type(), f.sender().toString(), bad.get()));
      return;
    }
    List<Request> batch = s.batchFor(f.digest()).orElseThrow();
    b.persist(new BatchServed(f.seqNo(), f.sender(), s.now()));
    b.output(new Output.Send(f.sender(),
        FetchedBatch.sign(params.clusterId(), f.seqNo(), f.digest(), batch, self, auth)));
  }

  private Optional<String> fetchRejection(AgreementState s, FetchBatch f) {
    if (!params.isMember(f.sender()) || f.sender().equals(self)) {
      return Optional.of("sender " + f.sender() + " is not a peer");
    }
    if (f.seqNo() <= s.lowWatermark() || f.seqNo() > s.highWatermark()) {
      return Optional.of("seqNo " + f.seqNo() + " is outside the watermarks (h=" + s.lowWatermark()
          + ", H=" + s.highWatermark() + "]: only batches in the window are served");
    }
    long last = s.batchServedAt(f.seqNo(), f.sender());
    if (last >= 0 && s.now() - last < params.retransmitTicks()) {
      return Optional.of("answered " + f.sender() + " for n=" + f.seqNo() + " at tick " + last
          + "; again only after retransmitTicks=" + params.retransmitTicks());
    }
    if (!f.verify(params.clusterId(), auth)) {
      return Optional.of("signature does not verify under " + f.sender() + "'s key");
    }
    if (s.batchFor(f.digest()).isEmpty()) {
      return Optional.of("no batch with digest " + f.digest().shortHex() + " is logged here");
    }
    return Optional.empty();
  }

  /**
   * A FETCHED-BATCH: if it completes an awaited header of O, the PRE-PREPARE it makes is
   * accepted (with this backup's PREPARE, persisted first) and true is returned, so that the
   * caller settles it and advances the slot; otherwise it is dropped with its reason.
   */
  boolean onFetched(AgreementState s, FetchedBatch m, Decision.Builder<AgreementEvent> b) {
    Optional<PrePrepareHeader> awaited = s.awaitingBatch().stream()
        .filter(h -> h.seqNo() == m.seqNo()).findFirst();
    String why = null;
    if (!params.isMember(m.sender()) || m.sender().equals(self)) {
      why = "sender " + m.sender() + " is not a peer";
    } else if (awaited.isEmpty() || !awaited.get().digest().equals(m.digest())) {
      why = "no batch with digest " + m.digest().shortHex() + " is awaited for n=" + m.seqNo();
    } else if (!m.verify(params.clusterId(), auth)) {
      why = "signature does not verify under " + m.sender() + "'s key";
    } else {
      why = admission.batch(m.digest(), m.batch()).orElse(null);
    }
    if (why != null) {
      b.persist(new Rejected(m.type(), m.sender().toString(), why));
      return false;
    }
    PrePrepare pp = awaited.get().withBatch(m.batch());
    boolean signs = !s.viewChangeInProgress() && pp.view() == s.view()
        && !self.equals(params.primary(pp.view()));
    Prepare own = signs
        ? Prepare.sign(params.clusterId(), pp.view(), pp.seqNo(), pp.digest(), self, auth) : null;
    b.persist(new PrePrepareAccepted(pp, own));
    if (own != null) {
      b.output(new Output.Multicast(own));
    }
    return true;
  }

  /**
   * The reason to drop a PRE-PREPARE that contradicts the header of O awaiting its batch at the
   * same (v, n) (a primary that signed two digests), or empty.
   */
  Optional<String> contradictsO(AgreementState s, PrePrepare pp) {
    return s.awaitingBatch().stream()
        .filter(h -> h.seqNo() == pp.seqNo() && h.view() == pp.view()
            && !h.digest().equals(pp.digest()))
        .findFirst()
        .map(h -> "O of view " + h.view() + " has digest " + h.digest().shortHex() + " at n="
            + h.seqNo() + "; refusing digest " + pp.digest().shortHex());
  }
}
