package org.bftlab.transport.byzantine;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ViewChange;

/**
 * Small-scope mutations in the style of ByzzFuzz (Winter et al., 2023): with probability
 * {@code p} per message, one mutation chosen at random among those that apply — view ± 1,
 * seqNo ± 1, another digest (random; for a PRE-PREPARE it then no longer matches the batch), or
 * omission. The view change is mutated too: a VIEW-CHANGE's new view ± 1, its stable seqNo
 * ± 1 (no longer matching its checkpoint proof) or one prepared certificate left out (a replica
 * hiding a prepared request); a NEW-VIEW's view ± 1, one VIEW-CHANGE of V or one PRE-PREPARE of
 * O left out; a FETCHED-BATCH's batch with a request left out (its digest kept: a wrong answer
 * the asker must drop). A mutated message is re-signed with the node's own key, so its signature stays
 * valid: receivers must reject it on content, not on the signature. Messages with none of these
 * fields (REQUEST forwards, STATUS, state transfer) can only be omitted.
 */
final class Mutator implements ByzantineStrategy {
  private final double p;

  Mutator(double p) {
    this.p = p;
  }

  @Override
  public List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx) {
    if (ctx.random().nextDouble() >= p) {
      return List.of(Outgoing.unchanged(to, message));
    }
    List<String> options = new ArrayList<>();
    long view = -1;
    long seqNo = -1;
    if (message instanceof PrePrepare m) {
      view = m.view();
      seqNo = m.seqNo();
    } else if (message instanceof Prepare m) {
      view = m.view();
      seqNo = m.seqNo();
    } else if (message instanceof Commit m) {
      view = m.view();
      seqNo = m.seqNo();
    } else if (message instanceof Checkpoint m) {
      seqNo = m.seqNo();
    } else if (message instanceof FetchBatch m) {
      seqNo = m.seqNo();
    } else if (message instanceof FetchedBatch m) {
      seqNo = m.seqNo();
      if (!m.batch().isEmpty()) {
        options.add("batch");
      }
    } else if (message instanceof ViewChange m) {
      return viewChange(to, m, ctx);
    } else if (message instanceof NewView m) {
      return newView(to, m, ctx);
    }
    if (view >= 0) {
      options.add("view+1");
      if (view > 0) {
        options.add("view-1");
      }
    }
    if (seqNo >= 1) {
      options.add("seqNo+1");
      if (seqNo > 1) {
        options.add("seqNo-1");
      }
      options.add("digest");
    }
    options.add("omit");
    String choice = options.get(ctx.random().nextInt(options.size()));
    if (choice.equals("omit")) {
      return List.of();
    }
    long dv = choice.equals("view+1") ? 1 : choice.equals("view-1") ? -1 : 0;
    long dn = choice.equals("seqNo+1") ? 1 : choice.equals("seqNo-1") ? -1 : 0;
    Digest other = null;
    if (choice.equals("digest")) {
      byte[] b = new byte[Digest.BYTES];
      ctx.random().nextBytes(b);
      other = Digest.ofBytes(b);
    }
    ProtocolMessage altered = choice.equals("batch") ? wrongBatch((FetchedBatch) message)
        : alter(message, dv, dn, other);
    return List.of(Outgoing.forged(to, Resign.sign(altered, ctx.clusterId(), ctx.auth()),
        "mutated: " + choice));
  }

  private static List<Outgoing> viewChange(NodeId to, ViewChange m, SendContext ctx) {
    List<String> options = new ArrayList<>(List.of("view+1", "seqNo+1"));
    if (m.newView() > 1) {
      options.add("view-1");
    }
    if (m.stableSeqNo() > 0) {
      options.add("seqNo-1");
    }
    if (!m.prepared().isEmpty()) {
      options.add("drop-prepared");
    }
    options.add("omit");
    String choice = options.get(ctx.random().nextInt(options.size()));
    List<PreparedCertificate> prepared = new ArrayList<>(m.prepared());
    long dv = 0;
    long dn = 0;
    switch (choice) {
      case "omit" -> {
        return List.of();
      }
      case "view+1" -> dv = 1;
      case "view-1" -> dv = -1;
      case "seqNo+1" -> dn = 1;
      case "seqNo-1" -> dn = -1;
      default -> prepared.remove(ctx.random().nextInt(prepared.size()));
    }
    ViewChange altered = new ViewChange(m.newView() + dv, m.stableSeqNo() + dn,
        m.checkpointProof(), prepared, m.sender(), new byte[0]);
    return List.of(Outgoing.forged(to, Resign.sign(altered, ctx.clusterId(), ctx.auth()),
        "mutated: " + choice));
  }

  private static List<Outgoing> newView(NodeId to, NewView m, SendContext ctx) {
    List<String> options = new ArrayList<>(List.of("view+1"));
    if (m.view() > 1) {
      options.add("view-1");
    }
    if (!m.viewChanges().isEmpty()) {
      options.add("drop-view-change");
    }
    if (!m.prePrepares().isEmpty()) {
      options.add("drop-pre-prepare");
    }
    options.add("omit");
    String choice = options.get(ctx.random().nextInt(options.size()));
    List<ViewChange> viewChanges = new ArrayList<>(m.viewChanges());
    List<PrePrepareHeader> prePrepares = new ArrayList<>(m.prePrepares());
    long dv = 0;
    switch (choice) {
      case "omit" -> {
        return List.of();
      }
      case "view+1" -> dv = 1;
      case "view-1" -> dv = -1;
      case "drop-view-change" -> viewChanges.remove(ctx.random().nextInt(viewChanges.size()));
      default -> prePrepares.remove(ctx.random().nextInt(prePrepares.size()));
    }
    NewView altered = new NewView(m.view() + dv, viewChanges, prePrepares, m.sender(),
        new byte[0]);
    return List.of(Outgoing.forged(to, Resign.sign(altered, ctx.clusterId(), ctx.auth()),
        "mutated: " + choice));
  }

  /** The answer with its batch's last request left out, its digest unchanged; unsigned. */
  private static FetchedBatch wrongBatch(FetchedBatch m) {
    return new FetchedBatch(m.seqNo(), m.digest(), m.batch().subList(0, m.batch().size() - 1),
        m.sender(), new byte[0]);
  }

  /** {@code m} with view + dv, seqNo + dn and digest {@code d} (when not null); unsigned. */
  private static ProtocolMessage alter(ProtocolMessage m, long dv, long dn, Digest d) {
    byte[] none = new byte[0];
    if (m instanceof PrePrepare x) {
      return new PrePrepare(x.view() + dv, x.seqNo() + dn, d != null ? d : x.digest(), x.batch(),
          x.sender(), none);
    } else if (m instanceof Prepare x) {
      return new Prepare(x.view() + dv, x.seqNo() + dn, d != null ? d : x.digest(), x.sender(),
          none);
    } else if (m instanceof Commit x) {
      return new Commit(x.view() + dv, x.seqNo() + dn, d != null ? d : x.digest(), x.sender(),
          none);
    } else if (m instanceof Checkpoint x) {
      return new Checkpoint(x.seqNo() + dn, d != null ? d : x.digest(), x.sender(), none);
    } else if (m instanceof FetchBatch x) {
      return new FetchBatch(x.seqNo() + dn, d != null ? d : x.digest(), x.sender(), none);
    } else if (m instanceof FetchedBatch x) {
      return new FetchedBatch(x.seqNo() + dn, d != null ? d : x.digest(), x.batch(), x.sender(),
          none);
    }
    return m;
  }
}
