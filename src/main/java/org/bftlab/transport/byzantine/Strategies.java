package org.bftlab.transport.byzantine;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;

/** The small strategies: honest (a twin's), silent, forged signature, replay. */
final class Strategies {
  private Strategies() {}

  /** Sends everything unchanged (what each instance of a twin does). */
  static final class Honest implements ByzantineStrategy {
    @Override
    public List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx) {
      return List.of(Outgoing.unchanged(to, message));
    }
  }

  /** Sends nothing at all; the node still receives and runs. */
  static final class Silent implements ByzantineStrategy {
    @Override
    public List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx) {
      return List.of();
    }
  }

  /** With probability {@code p}, replaces the signature by random bytes (64, like Ed25519's). */
  static final class Forger implements ByzantineStrategy {
    private final double p;

    Forger(double p) {
      this.p = p;
    }

    @Override
    public List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx) {
      if (p < 1.0 && ctx.random().nextDouble() >= p) {
        return List.of(Outgoing.unchanged(to, message));
      }
      byte[] junk = new byte[64];
      ctx.random().nextBytes(junk);
      return Resign.withSignature(message, junk)
          .map(m -> List.of(Outgoing.forged(to, m, "forged signature")))
          .orElseGet(() -> List.of(Outgoing.unchanged(to, message)));
    }
  }

  /**
   * Sends every message, and with probability {@code p} per send also re-sends to the same
   * destination one earlier message (validly signed, it is a real old message) sent at least
   * {@code minAgeTicks} ticks ago, chosen at random among the last {@value #HISTORY} sent.
   */
  static final class Replayer implements ByzantineStrategy {
    static final int HISTORY = 512;

    private record Sent(long tick, ProtocolMessage message) {}

    private final double p;
    private final long minAgeTicks;
    private final List<Sent> history = new ArrayList<>();

    Replayer(double p, long minAgeTicks) {
      this.p = p;
      this.minAgeTicks = minAgeTicks;
    }

    @Override
    public List<Outgoing> rewrite(NodeId to, ProtocolMessage message, SendContext ctx) {
      List<Outgoing> out = new ArrayList<>(2);
      out.add(Outgoing.unchanged(to, message));
      if (ctx.random().nextDouble() < p) {
        int old = 0;
        while (old < history.size() && ctx.now() - history.get(old).tick() >= minAgeTicks) {
          old++;
        }
        if (old > 0) {
          Sent s = history.get(ctx.random().nextInt(old));
          out.add(Outgoing.forged(to, s.message(), "replay of a message sent at tick " + s.tick()));
        }
      }
      history.add(new Sent(ctx.now(), message));
      if (history.size() > HISTORY) {
        history.remove(0);
      }
      return out;
    }
  }
}
