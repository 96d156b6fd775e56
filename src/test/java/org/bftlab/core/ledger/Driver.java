package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.ComponentRunner;
import org.bftlab.core.ContractCheck;
import org.bftlab.core.Decision;
import org.bftlab.core.Input;
import org.bftlab.core.Signal;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;
import org.bftlab.sim.Fingerprint;

/**
 * Drives one {@link BlockCommitCore} through its {@link ComponentRunner} (contract checks on);
 * keeps the persisted (non-volatile) events as a journal.
 */
final class Driver {
  final ProtocolParams params;
  final NodeId self;
  final BlockCommitCore core;
  final ComponentRunner<BlockCommitState, BlockCommitEvent> runner;
  final BlockCommitState state;
  final List<BlockCommitEvent> journal = new ArrayList<>();

  Driver(ProtocolParams params, int self) {
    this.params = params;
    this.self = new NodeId(self);
    this.core = new BlockCommitCore(params, this.self, TestAuth.of(self, params.n()));
    this.runner = new ComponentRunner<>(core, journal::addAll)
        .check(new ContractCheck<>(Fingerprint::of));
    this.state = runner.state();
  }

  Decision<BlockCommitEvent> step(Input input) {
    return runner.step(input);
  }

  /** Delivers the batch at {@code seqNo} (view 0) and returns the decision. */
  Decision<BlockCommitEvent> commit(long seqNo, Request... batch) {
    return commit(0, seqNo, List.of(batch));
  }

  Decision<BlockCommitEvent> commit(long view, long seqNo, List<Request> batch) {
    return step(new Input.FromSibling(new Signal.BatchCommitted(view, seqNo,
        Digest.sha256(("batch-" + seqNo).getBytes()), batch)));
  }

  /** Commits the next block holding {@code batch}. */
  Block next(Request... batch) {
    commit(state.lastExecutedSeqNo() + 1, batch);
    return state.head().orElseThrow();
  }

  /** A fresh state rebuilt by applying only the journal (as recovery after a crash). */
  BlockCommitState replay() {
    return restarted().state();
  }

  /** A new runner rebuilt from the journal only (recover() not yet run). */
  ComponentRunner<BlockCommitState, BlockCommitEvent> restarted() {
    ComponentRunner<BlockCommitState, BlockCommitEvent> r =
        new ComponentRunner<>(core, ComponentRunner.noJournal());
    journal.forEach(r::replay);
    return r;
  }
}
