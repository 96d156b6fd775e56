package org.bftlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.Digest;
import org.bftlab.sim.Fingerprint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The driver's contract on a toy component: a counter whose events add to it. */
class ComponentRunnerTest {
  /** State: a running total (and, to break the contract on purpose, a scratch field). */
  static final class Counter {
    long total;
    long scratch;
  }

  record Added(long amount) implements Event {}

  record Seen(long total) implements Event.Volatile {}

  /** Adds the tick's amount, then (next rule) records the total it reads: needs settle(). */
  static class Adder implements Component<Counter, Event> {
    @Override
    public Counter initialState() {
      return new Counter();
    }

    @Override
    public void decide(Counter s, Input input, Decision.Builder<Event> out) {
      out.persist(new Added(1));
      out.settle();
      out.persist(new Seen(s.total));
    }

    @Override
    public Counter apply(Counter s, Event e) {
      if (e instanceof Added a) {
        s.total += a.amount();
      }
      return s;
    }

    @Override
    public boolean retains(Counter s, Event e) {
      return ((Added) e).amount() > 0 && s.total < 100;
    }
  }

  @Test
  @DisplayName("a rule reads the state the previous rule's events produced; only durable events "
      + "are journaled")
  void settleAppliesBeforeTheNextRule() {
    List<Event> journal = new ArrayList<>();
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(new Adder(), journal::addAll)
        .deferQuiet(false).check(new ContractCheck<>(Fingerprint::of));
    Decision<Event> d = r.step(Input.TICK);
    assertThat(d.events()).containsExactly(new Added(1), new Seen(1));
    r.step(Input.TICK);
    assertThat(journal).containsExactly(new Added(1), new Added(1));
    assertThat(r.state().total).isEqualTo(2);
    assertThat(r.seqNr()).isEqualTo(2);
  }

  @Test
  @DisplayName("compaction: after an append reaching a multiple of snapshotEvery the journal "
      + "gets the retained events, and a restart from them rebuilds the state")
  void compactsEverySnapshotEvery() {
    List<List<Event>> snapshots = new ArrayList<>();
    ComponentRunner.Journal<Event> journal = new ComponentRunner.Journal<>() {
      @Override
      public void append(List<Event> events) {}

      @Override
      public void compacted(List<Event> retained) {
        snapshots.add(retained);
      }
    };
    ComponentRunner<Counter, Event> r =
        new ComponentRunner<>(new Adder(), journal, 3).deferQuiet(false);
    for (int i = 0; i < 7; i++) {
      r.step(Input.TICK);
    }
    assertThat(snapshots).hasSize(2);
    assertThat(snapshots.get(1)).hasSize(6);
    ComponentRunner<Counter, Event> restarted = new ComponentRunner<>(new Adder(), journal, 3);
    restarted.restore(snapshots.get(1), 6);
    assertThat(restarted.state().total).isEqualTo(6);
    assertThat(restarted.seqNr()).isEqualTo(6);
  }

  @Test
  @DisplayName("ContractCheck: a rule that changes the state itself is caught")
  void catchesAMutatingRule() {
    Component<Counter, Event> cheat = new Adder() {
      @Override
      public void decide(Counter s, Input input, Decision.Builder<Event> out) {
        s.scratch++;
        out.persist(new Added(1));
      }
    };
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(cheat, ComponentRunner.noJournal())
        .check(new ContractCheck<>(Fingerprint::of));
    assertThatThrownBy(() -> r.step(Input.TICK)).isInstanceOf(ContractViolation.class)
        .hasMessageContaining("other than through an event");
  }

  @Test
  @DisplayName("ContractCheck: a decide that differs when called twice is caught")
  void catchesANondeterministicDecide() {
    long[] calls = {0};
    Component<Counter, Event> coin = new Adder() {
      @Override
      public void decide(Counter s, Input input, Decision.Builder<Event> out) {
        out.persist(new Added(++calls[0]));
      }
    };
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(coin, ComponentRunner.noJournal())
        .check(new ContractCheck<>(Fingerprint::of));
    assertThatThrownBy(() -> r.step(Input.TICK)).isInstanceOf(ContractViolation.class)
        .hasMessageContaining("not deterministic");
  }

  @Test
  @DisplayName("apply must change the state in place")
  void applyInPlace() {
    Component<Counter, Event> copying = new Adder() {
      @Override
      public Counter apply(Counter s, Event e) {
        return new Counter();
      }
    };
    ComponentRunner<Counter, Event> r =
        new ComponentRunner<>(copying, ComponentRunner.noJournal());
    assertThatThrownBy(() -> r.step(Input.TICK)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in place");
  }

  /** As {@link Adder}, and a step on a {@link Input.FromSibling} input also has an output. */
  static final class Speaker extends Adder {
    static final Input SPEAK = new Input.FromSibling(new Signal.CheckpointStable(1, Digest.ZERO,
        List.of()));

    @Override
    public void decide(Counter s, Input input, Decision.Builder<Event> out) {
      out.persist(new Added(1));
      if (input.equals(SPEAK)) {
        out.output(new Output.Executed(0, s.total, Digest.ZERO, List.of()));
      }
    }

    @Override
    public boolean retains(Counter s, Event e) {
      return true;
    }
  }

  @Test
  @DisplayName("quiet steps: a step without outputs writes nothing; its events go to the journal "
      + "in front of the next step that has outputs, in one append, so that every output follows "
      + "the write of every event decided before it (persist before send)")
  void quietStepsWaitForTheNextOutput() {
    List<List<Event>> appends = new ArrayList<>();
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(new Speaker(), appends::add)
        .check(new ContractCheck<>(Fingerprint::of));
    r.step(Input.TICK);
    r.step(Input.TICK);
    assertThat(appends).isEmpty();
    assertThat(r.waiting()).isEqualTo(2);
    assertThat(r.seqNr()).isZero();
    assertThat(r.state().total).isEqualTo(2); // applied, only not yet written
    Decision<Event> d = r.step(Speaker.SPEAK);
    assertThat(d.outputs()).hasSize(1);
    assertThat(appends).containsExactly(List.of(new Added(1), new Added(1), new Added(1)));
    assertThat(r.waiting()).isZero();
    assertThat(r.seqNr()).isEqualTo(3);
    assertThat(r.retained()).hasSize(3);
  }

  @Test
  @DisplayName("quiet steps: a crash loses their events as if their inputs had never arrived; "
      + "flush() writes them; a snapshot refuses a state ahead of its journal")
  void quietStepsAreLostByACrashUnlessFlushed() {
    List<Event> journal = new ArrayList<>();
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(new Speaker(), journal::addAll);
    r.step(Speaker.SPEAK);
    r.step(Input.TICK);
    assertThatThrownBy(r::compact).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("flush()");
    ComponentRunner<Counter, Event> crashed = new ComponentRunner<>(new Speaker(), e -> {});
    journal.forEach(crashed::replay);
    assertThat(crashed.state().total).isEqualTo(1); // as before the TICK arrived
    r.flush();
    assertThat(journal).hasSize(2);
    assertThat(r.compact()).hasSize(2);
  }

  @Test
  @DisplayName("quiet steps: at most MAX_QUIET events wait; a quiet step beyond writes them all")
  void atMostMaxQuietEventsWait() {
    List<List<Event>> appends = new ArrayList<>();
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(new Speaker(), appends::add);
    for (int i = 0; i < ComponentRunner.MAX_QUIET; i++) {
      r.step(Input.TICK);
    }
    assertThat(appends).isEmpty();
    r.step(Input.TICK);
    assertThat(appends).hasSize(1);
    assertThat(appends.get(0)).hasSize(ComponentRunner.MAX_QUIET + 1);
    assertThat(r.waiting()).isZero();
  }

  @Test
  @DisplayName("quiet steps: only a message from a replica or a tick waits; a quiet step on a "
      + "sibling's signal writes at once (the sibling journaled what it signals), and so does "
      + "recovery")
  void aSiblingsSignalNeverWaits() {
    List<List<Event>> appends = new ArrayList<>();
    ComponentRunner<Counter, Event> r = new ComponentRunner<>(new Adder(), appends::add);
    r.step(Input.TICK);
    assertThat(appends).isEmpty();
    Decision<Event> d = r.step(Speaker.SPEAK); // Adder: no output even here
    assertThat(d.outputs()).isEmpty();
    assertThat(appends).containsExactly(List.of(new Added(1), new Added(1)));
    r.recover(); // Adder.recover emits nothing: nothing to write
    assertThat(appends).hasSize(1);
  }
}
