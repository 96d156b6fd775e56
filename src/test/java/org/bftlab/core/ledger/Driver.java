package org.bftlab.core.ledger;

import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.Decision;
import org.bftlab.core.Event;
import org.bftlab.core.Input;
import org.bftlab.core.Signal;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.Request;

/**
 * Drives one {@link BlockCommitCore} as the shell would: decide, then apply every event of the
 * decision in order; keeps the persisted (non-volatile) events as a journal.
 */
final class Driver {
  final ProtocolParams params;
  final NodeId self;
  final BlockCommitCore core;
  BlockCommitState state;
  final List<BlockCommitEvent> journal = new ArrayList<>();

  Driver(ProtocolParams params, int self) {
    this.params = params;
    this.self = new NodeId(self);
    this.core = new BlockCommitCore(params, this.self, TestAuth.of(self, params.n()));
    this.state = core.initialState();
  }

  Decision<BlockCommitEvent> step(Input input) {
    Decision<BlockCommitEvent> d = core.decide(state, input);
    for (BlockCommitEvent e : d.events()) {
      if (!(e instanceof Event.Volatile)) {
        journal.add(e);
      }
      state = core.apply(state, e);
    }
    return d;
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
    BlockCommitState s = core.initialState();
    for (BlockCommitEvent e : journal) {
      s = core.apply(s, e);
    }
    return s;
  }
}
