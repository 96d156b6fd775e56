package org.bftlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.agreement.AgreementCore;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.ledger.BlockCommitCore;
import org.bftlab.core.ledger.BlockCommitEvent;
import org.bftlab.core.election.ElectionCore;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.ProtocolMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 2: every permitted subclass of every sealed family is handled — each event type
 * by its component's {@code apply} (and, if durable, by {@code retains}), each message and signal
 * type by {@link NodeRoute}. A new type that nobody handles fails here, not silently at run time.
 * Events are made without their constructors (fields zero / null): a branch that is reached may
 * throw anything but the "has no rule" refusal of the fall-through.
 */
class ContractCoverageTest {
  private static final ProtocolParams P = new ProtocolParams("coverage", NodeId.range(4), 2, 2, 4,
      8, 3, 64 * 1024);
  private static final Authenticator AUTH = new Authenticator() {
    @Override
    public byte[] sign(byte[] data) {
      return new byte[64];
    }

    @Override
    public boolean verifyReplica(NodeId node, byte[] data, byte[] signature) {
      return false;
    }

    @Override
    public boolean verifyClient(org.bftlab.core.model.ClientId client, byte[] data,
        byte[] signature) {
      return false;
    }

    @Override
    public boolean knowsClient(org.bftlab.core.model.ClientId client) {
      return false;
    }
  };

  @Test
  @DisplayName("every event type of every component is handled by apply, every durable one by "
      + "retains")
  void everyEventIsHandled() throws Exception {
    int agreement = covered(new AgreementCore(P, new NodeId(1), AUTH), AgreementEvent.class);
    int election = covered(new ElectionCore(P, new NodeId(1), AUTH), ElectionEvent.class);
    int ledger = covered(new BlockCommitCore(P, new NodeId(1), AUTH), BlockCommitEvent.class);
    assertThat(agreement).isGreaterThan(15);
    assertThat(election).isGreaterThan(10);
    assertThat(ledger).isGreaterThan(10);
  }

  @Test
  @DisplayName("every message and signal type has a component in NodeRoute; an unknown one fails "
      + "loudly")
  @SuppressWarnings("unchecked")
  void everyMessageAndSignalIsRouted() {
    List<Class<?>> messages = leaves(ProtocolMessage.class);
    assertThat(messages).hasSizeGreaterThanOrEqualTo(10);
    for (Class<?> m : messages) {
      assertThat(NodeRoute.forMessageType((Class<? extends ProtocolMessage>) m)).as(m.getName())
          .isNotNull();
    }
    List<Class<?>> signals = leaves(Signal.class);
    assertThat(signals).hasSizeGreaterThanOrEqualTo(10);
    for (Class<?> s : signals) {
      assertThat(NodeRoute.forSignalType((Class<? extends Signal>) s)).as(s.getName())
          .isNotEmpty();
    }
    assertThatThrownBy(() -> NodeRoute.forSignalType(Signal.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no component");
  }

  @SuppressWarnings("unchecked")
  private static <S, E extends Event> int covered(Component<S, E> core, Class<E> family)
      throws Exception {
    List<Class<?>> types = leaves(family);
    for (Class<?> t : types) {
      E e = (E) allocate(t);
      assertHandled(t, "apply", () -> core.apply(core.initialState(), e));
      if (!(e instanceof Event.Volatile)) {
        assertHandled(t, "retains", () -> core.retains(core.initialState(), e));
      }
    }
    return types.size();
  }

  private static void assertHandled(Class<?> t, String what, Runnable call) {
    try {
      call.run();
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).as(what + " of " + t.getName())
          .doesNotContain("has no rule");
    } catch (RuntimeException reached) {
      // the branch for t was reached and choked on a zero / null field: handled
    }
  }

  /** The concrete permitted subclasses of a sealed family, through sealed sub-interfaces. */
  static List<Class<?>> leaves(Class<?> family) {
    List<Class<?>> out = new ArrayList<>();
    if (!family.isSealed()) {
      out.add(family);
      return out;
    }
    for (Class<?> c : family.getPermittedSubclasses()) {
      out.addAll(leaves(c));
    }
    return out;
  }

  /** An instance without running its constructor (fields zero / null). */
  private static Object allocate(Class<?> t) throws Exception {
    Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    f.setAccessible(true);
    Object unsafe = f.get(null);
    return unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, t);
  }
}
