package org.bftlab.core.election;

import java.util.List;
import java.util.Objects;
import org.bftlab.core.Event;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.ViewChange;

/**
 * What the election component records (DESIGN.md §5), past tense, named after the transitions of
 * the view change (Castro &amp; Liskov OSDI'99 §4.4). Events that do not implement {@link
 * Event.Volatile} are journaled; this replica's own VIEW-CHANGE and NEW-VIEW travel inside them,
 * so they are durable before they are sent.
 */
public sealed interface ElectionEvent extends Event {

  // ---- persisted ------------------------------------------------------------------------------

  /**
   * This replica moved to view {@code own.newView()} and signed {@code own}, VIEW-CHANGE ⟨v+1, n,
   * C, P, i⟩ (§4.4). At most one per view: after a restart the logged one is resent.
   */
  record ViewChangeStarted(ViewChange own) implements ElectionEvent {
    public ViewChangeStarted {
      Objects.requireNonNull(own, "own");
    }

    /** v+1. */
    public long view() {
      return own.newView();
    }

    @Override
    public String toString() {
      return "view change to " + own.newView() + " started, stable checkpoint n="
          + own.stableSeqNo() + ", " + own.prepared().size() + " prepared certificates";
    }
  }

  /** The primary of {@code newView.view()} assembled and signed NEW-VIEW ⟨v+1, V, O⟩ (§4.4). */
  record NewViewSent(NewView newView) implements ElectionEvent {
    public NewViewSent {
      Objects.requireNonNull(newView, "newView");
    }

    @Override
    public String toString() {
      return "NEW-VIEW for view " + newView.view() + " sent, |V|=" + newView.viewChanges().size()
          + ", |O|=" + newView.prePrepares().size();
    }
  }

  /**
   * View {@code view} was installed (§4.4: own NEW-VIEW sent, or a NEW-VIEW whose V verified and
   * whose O matched the recomputed one).
   *
   * @param view v+1 (>= 1)
   * @param primary primary(v+1)
   * @param stableSeqNo min-s
   * @param prePrepares O, headers in seqNo order (kept to re-announce the view after a restart)
   */
  record NewViewInstalled(long view, NodeId primary, long stableSeqNo,
      List<PrePrepareHeader> prePrepares)
      implements ElectionEvent {
    public NewViewInstalled {
      if (view < 1 || stableSeqNo < 0) {
        throw new IllegalArgumentException("need view >= 1 and min-s >= 0, got v=" + view
            + ", min-s=" + stableSeqNo);
      }
      Objects.requireNonNull(primary, "primary");
      prePrepares = List.copyOf(prePrepares);
    }

    @Override
    public String toString() {
      return "view " + view + " installed, primary " + primary + " (min-s=" + stableSeqNo
          + ", |O|=" + prePrepares.size() + ")";
    }
  }

  /**
   * A stable checkpoint at {@code seqNo} with its proof (2f+1 matching CHECKPOINTs) became this
   * replica's latest: the n and C of its next VIEW-CHANGE (§4.3, §4.4).
   */
  record StableCheckpointNoted(long seqNo, Digest digest, List<Checkpoint> proof)
      implements ElectionEvent {
    public StableCheckpointNoted {
      if (seqNo < 1) {
        throw new IllegalArgumentException("seqNo must be >= 1, got " + seqNo);
      }
      Objects.requireNonNull(digest, "digest");
      proof = List.copyOf(proof);
    }

    @Override
    public String toString() {
      return "stable checkpoint n=" + seqNo + " noted (d=" + digest.shortHex() + ", "
          + proof.size() + " CHECKPOINTs)";
    }
  }

  // ---- volatile -------------------------------------------------------------------------------

  /** One tick passed; {@code now} is the new tick count (volatile). */
  record Ticked(long now) implements ElectionEvent, Event.Volatile {}

  /** This backup waits for request {@code txId} to execute (§4.4; volatile). */
  record RequestPendingNoted(String txId) implements ElectionEvent, Event.Volatile {
    public RequestPendingNoted {
      Objects.requireNonNull(txId, "txId");
    }
  }

  /**
   * The batch at {@code seqNo}, committed in {@code view}, executed the pending requests
   * {@code txIds}; a non-empty batch of the installed view outside a view change is progress and
   * resets the timeout to its base (volatile).
   */
  record RequestsExecuted(long view, long seqNo, List<String> txIds, boolean progress)
      implements ElectionEvent, Event.Volatile {
    public RequestsExecuted {
      txIds = List.copyOf(txIds);
    }
  }

  /**
   * A stable checkpoint at {@code seqNo} arrived past the last batch this replica executed through
   * agreement ({@code executed}): state transfer executed the batches in between, and whether the
   * {@code count} requests this backup waited for were among them cannot be told here. It stops
   * waiting for them — a request it waited for and that was in the transferred state would
   * otherwise keep its timer firing, view after view, for a request that will never execute again
   * (the replica would start view changes alone). The requests were relayed to every replica when
   * accepted, and the others wait for those still pending (TOCS'02 §4.5.2; volatile).
   */
  record PendingDropped(long seqNo, long executed, int count)
      implements ElectionEvent, Event.Volatile {
    @Override
    public String toString() {
      return "state transfer to n=" + seqNo + " (executed here: " + executed + "): no longer "
          + "waiting for " + count + " requests";
    }
  }

  /**
   * The view-change timer started at tick {@code atTick} to expire after {@code timeoutTicks}
   * ticks; {@code forTxId} is the request it waits for, or empty for the timer that waits for a
   * NEW-VIEW once 2f+1 VIEW-CHANGEs are in (§4.4; volatile).
   */
  record TimerStarted(long atTick, long timeoutTicks, String forTxId)
      implements ElectionEvent, Event.Volatile {
    public TimerStarted {
      Objects.requireNonNull(forTxId, "forTxId");
      if (timeoutTicks < 1) {
        throw new IllegalArgumentException("timeoutTicks must be >= 1, got " + timeoutTicks);
      }
    }
  }

  /** The view-change timer stopped: nothing is pending any more, or this replica is primary. */
  record TimerStopped(String why) implements ElectionEvent, Event.Volatile {}

  /**
   * The timer of {@code timeoutTicks} ticks expired: this replica asks the agreement to leave its
   * view for {@code nextView} (§4.4; volatile, the durable step is {@link ViewChangeStarted}).
   */
  record TimerExpired(long nextView, long timeoutTicks) implements ElectionEvent, Event.Volatile {
    @Override
    public String toString() {
      return "view-change timer (" + timeoutTicks + " ticks) expired, moving to view " + nextView;
    }
  }

  /**
   * f+1 replicas ({@code senders}) sent valid VIEW-CHANGEs for views above this replica's; it
   * joins the smallest, {@code newView} (§4.4; volatile).
   */
  record ViewChangeJoined(long newView, List<NodeId> senders)
      implements ElectionEvent, Event.Volatile {
    public ViewChangeJoined {
      senders = List.copyOf(senders);
    }

    @Override
    public String toString() {
      return "joining the view change to " + newView + " after VIEW-CHANGEs from " + senders;
    }
  }

  /**
   * {@code sender} sent a correctly signed normal-case message of {@code view}, above this
   * replica's view (volatile; only the highest view per sender is kept, views at or below the
   * installed one are forgotten).
   */
  record HigherViewNoted(long view, NodeId sender) implements ElectionEvent, Event.Volatile {
    public HigherViewNoted {
      Objects.requireNonNull(sender, "sender");
    }

    @Override
    public String toString() {
      return sender + " is in view " + view + " or above";
    }
  }

  /**
   * f+1 replicas ({@code senders}) are in views >= {@code newView}, above this replica's: it lags
   * behind and changes to {@code newView}, whose primary answers its VIEW-CHANGE with the
   * NEW-VIEW (TOCS'02 §4.5; volatile).
   */
  record HigherViewJoined(long newView, List<NodeId> senders)
      implements ElectionEvent, Event.Volatile {
    public HigherViewJoined {
      senders = List.copyOf(senders);
    }

    @Override
    public String toString() {
      return "lagging behind: " + senders + " are in view " + newView
          + " or above; changing to view " + newView;
    }
  }

  /**
   * This replica (re)started: until f+1 peers are heard in step ({@link PeerHeard}), it does not
   * run its view-change timer for the requests it waits for — it cannot
   * tell a silent primary from a network it has not reached yet (a restart still joining the
   * cluster), and a timer that expires then starts a view change alone (issue 7; volatile).
   */
  record PeersAwaited() implements ElectionEvent, Event.Volatile {
    @Override
    public String toString() {
      return "(re)started: the view-change timer waits for f+1 peers in step";
    }
  }

  /**
   * While {@link PeersAwaited}: {@code peer} was heard in view {@code view}, at or above this
   * replica's (volatile; one per peer).
   */
  record PeerHeard(NodeId peer, long view) implements ElectionEvent, Event.Volatile {
    public PeerHeard {
      Objects.requireNonNull(peer, "peer");
    }

    @Override
    public String toString() {
      return peer + " heard in step, in view " + view;
    }
  }

  /**
   * f+1 peers ({@code peers}) were heard in step since the (re)start: the view-change timer runs again for the requests this replica waits for (volatile).
   */
  record InStepWithPeers(List<NodeId> peers) implements ElectionEvent, Event.Volatile {
    public InStepWithPeers {
      peers = List.copyOf(peers);
    }

    @Override
    public String toString() {
      return "in step with " + peers + ": the view-change timer may run";
    }
  }

  /** A peer's valid VIEW-CHANGE was logged (volatile: peers resend theirs until NEW-VIEW). */
  record ViewChangeAccepted(ViewChange viewChange) implements ElectionEvent, Event.Volatile {
    public ViewChangeAccepted {
      Objects.requireNonNull(viewChange, "viewChange");
    }

    @Override
    public String toString() {
      return "accepted " + viewChange;
    }
  }

  /** This replica re-multicast its logged VIEW-CHANGE for {@code newView} (never re-signed). */
  record ViewChangeResent(long newView, long atTick) implements ElectionEvent, Event.Volatile {}

  /** The primary re-sent its logged NEW-VIEW to {@code to}, which is still changing views. */
  record NewViewResent(long view, NodeId to) implements ElectionEvent, Event.Volatile {}

  /**
   * A VIEW-CHANGE, NEW-VIEW or signal was dropped; the trace of why (volatile).
   *
   * @param messageType the paper's name, e.g. {@code VIEW-CHANGE}
   * @param from the claimed sender
   * @param reason a sentence naming the rule that failed
   */
  record Rejected(String messageType, String from, String reason)
      implements ElectionEvent, Event.Volatile {
    public Rejected {
      Objects.requireNonNull(messageType, "messageType");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
