package org.bftlab.transport.byzantine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.Request;

/**
 * An equivocating primary: for each (v, n) it proposes, the replicas of {@code variantTo} get a
 * second, validly signed PRE-PREPARE for the same (v, n) with another batch — the same requests
 * in reverse order (another digest d'), or the null request when the batch has one request — and
 * the others get the original. Its own PREPAREs and COMMITs for (v, n, d) reach the variant side
 * as (v, n, d'), so each side sees a consistent primary. Deterministic: no random draws.
 */
final class Equivocator implements ByzantineStrategy {
  private final Set<NodeId> variantTo;
  /** (v, n, d) → d' of the variant proposed for it. */
  private final Map<String, Digest> variants = new HashMap<>();

  /** @param variantTo the side that gets the variant; empty = the upper half of the others */
  Equivocator(Set<NodeId> variantTo) {
    this.variantTo = Set.copyOf(variantTo);
  }

  /** The side that gets the variant, for {@code self} among {@code nodes}. */
  Set<NodeId> variantSide(NodeId self, List<NodeId> nodes) {
    if (!variantTo.isEmpty()) {
      return variantTo;
    }
    List<NodeId> others = new ArrayList<>(nodes);
    others.remove(self);
    return Set.copyOf(others.subList(others.size() / 2, others.size()));
  }

  @Override
  public List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx) {
    if (!variantSide(ctx.self(), ctx.nodes()).contains(to)) {
      return List.of(Outgoing.unchanged(to, message));
    }
    if (message instanceof PrePrepare p && p.sender().equals(ctx.self())) {
      List<Request> other = new ArrayList<>(p.batch());
      if (other.size() >= 2) {
        Collections.reverse(other);
      } else {
        other.clear();
      }
      PrePrepare v = PrePrepare.sign(ctx.clusterId(), p.view(), p.seqNo(), other, ctx.self(),
          ctx.auth());
      variants.put(key(p.view(), p.seqNo(), p.digest()), v.digest());
      return List.of(Outgoing.forged(to, v, "equivocation: d' " + v.digest().shortHex()
          + " instead of " + p.digest().shortHex()));
    }
    if (message instanceof Prepare p) {
      Digest d = variants.get(key(p.view(), p.seqNo(), p.digest()));
      if (d != null) {
        return List.of(Outgoing.forged(to, Prepare.sign(ctx.clusterId(), p.view(), p.seqNo(), d,
            ctx.self(), ctx.auth()), "equivocation: PREPARE for d'"));
      }
    }
    if (message instanceof Commit c) {
      Digest d = variants.get(key(c.view(), c.seqNo(), c.digest()));
      if (d != null) {
        return List.of(Outgoing.forged(to, Commit.sign(ctx.clusterId(), c.view(), c.seqNo(), d,
            ctx.self(), ctx.auth()), "equivocation: COMMIT for d'"));
      }
    }
    return List.of(Outgoing.unchanged(to, message));
  }

  private static String key(long v, long n, Digest d) {
    return v + "/" + n + "/" + d.hex();
  }
}
