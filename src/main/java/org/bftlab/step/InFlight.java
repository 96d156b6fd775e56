package org.bftlab.step;

import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ViewChange;

/**
 * A message on the wire, waiting for the student: sent at {@code sentStep}, not yet delivered
 * or dropped.
 *
 * @param id stable id: the n-th message sent in this run (the same in every replay)
 * @param from sender label ({@code node-0} or {@code client})
 * @param to receiver label
 * @param type the paper's name ({@code PRE-PREPARE}, {@code REPLY} …)
 * @param view the view it carries, -1 if none
 * @param seqNo the sequence number it carries, -1 if none
 * @param message the protocol message (null for a REPLY to the client)
 * @param reply the txId a REPLY answers (null otherwise)
 * @param sentStep the step at which it was sent (0 = at start)
 */
public record InFlight(long id, String from, String to, String type, long view, long seqNo,
    ProtocolMessage message, String reply, int sentStep) {

  /** A protocol message from {@code from} to {@code to}. */
  static InFlight of(long id, String from, String to, ProtocolMessage m, int step) {
    long v = -1;
    long n = -1;
    if (m instanceof PrePrepare pp) {
      v = pp.view();
      n = pp.seqNo();
    } else if (m instanceof Prepare p) {
      v = p.view();
      n = p.seqNo();
    } else if (m instanceof Commit c) {
      v = c.view();
      n = c.seqNo();
    } else if (m instanceof Checkpoint c) {
      n = c.seqNo();
    } else if (m instanceof ViewChange vc) {
      v = vc.newView();
      n = vc.stableSeqNo();
    } else if (m instanceof NewView nv) {
      v = nv.view();
    }
    return new InFlight(id, from, to, m.type(), v, n, m, null, step);
  }

  /** "PREPARE (v=0, n=1) node-2 → node-1", the label of an arrow and of a list entry. */
  public String label() {
    StringBuilder b = new StringBuilder(type);
    if (view >= 0 && seqNo >= 0) {
      b.append(" (v=").append(view).append(", n=").append(seqNo).append(')');
    } else if (view >= 0) {
      b.append(" (v=").append(view).append(')');
    } else if (seqNo >= 0) {
      b.append(" (n=").append(seqNo).append(')');
    }
    return b.append(' ').append(from).append(" → ").append(to).toString();
  }
}
