package org.bftlab.trace;

import org.bftlab.core.Event;
import org.bftlab.core.agreement.AgreementEvent;
import org.bftlab.core.election.ElectionEvent;
import org.bftlab.core.ledger.BlockCommitEvent;

/**
 * A state change worth a mark on a replica's lane of the Lamport diagram.
 *
 * @param step the step it happened at
 * @param node the replica
 * @param kind {@code pre-prepared}, {@code prepared}, {@code committed-local}, {@code
 *     view-change}, {@code new-view}, {@code stable-checkpoint}, {@code executed}, {@code crash}
 *     or {@code restart}
 * @param view the view, -1 if none
 * @param seqNo the sequence number, -1 if none
 */
public record Mark(int step, String node, String kind, long view, long seqNo) {
  /** The mark of event {@code e} at {@code node}, or null if it gets none. */
  public static Mark of(int step, String node, Event e) {
    if (e instanceof AgreementEvent.PrePrepareSent x) {
      return new Mark(step, node, "pre-prepared", x.pp().view(), x.pp().seqNo());
    } else if (e instanceof AgreementEvent.PrePrepareAccepted x) {
      return new Mark(step, node, "pre-prepared", x.pp().view(), x.pp().seqNo());
    } else if (e instanceof AgreementEvent.Prepared x) {
      return new Mark(step, node, "prepared", x.view(), x.seqNo());
    } else if (e instanceof AgreementEvent.CommittedLocal x) {
      return new Mark(step, node, "committed-local", x.view(), x.seqNo());
    } else if (e instanceof ElectionEvent.ViewChangeStarted x) {
      return new Mark(step, node, "view-change", x.own().newView(), -1);
    } else if (e instanceof ElectionEvent.NewViewInstalled x) {
      return new Mark(step, node, "new-view", x.view(), -1);
    } else if (e instanceof BlockCommitEvent.CheckpointStable x) {
      return new Mark(step, node, "stable-checkpoint", -1, x.seqNo());
    } else if (e instanceof BlockCommitEvent.BlockCommitted x) {
      return new Mark(step, node, "executed", x.view(), x.block().header().height());
    }
    return null;
  }
}
