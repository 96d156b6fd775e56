package org.bftlab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bftlab.node.ClusterSupport.log;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/**
 * Plumbing shared by the view-change tests (issue 3): submit mints, wait for a view to be
 * installed on a set of nodes (polling {@code GET /status}), and measure in ticks and ms.
 */
final class ViewChangeSupport {
  /** Default tick length (bftlab.tick). */
  static final long TICK_MS = 10;

  private ViewChangeSupport() {}

  /** Submits {@code count} mints one after the other, each awaited (one block each, normally). */
  static List<CommittedTx> commitSequentially(BftlabClient client, int count, Duration timeout)
      throws Exception {
    List<CommittedTx> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Request r = client.newRequest("token", "mint", client.clientId().value(), "1");
      CommittedTx tx = client.submitAndAwait(r, timeout)
          .get(timeout.toSeconds() + 30, TimeUnit.SECONDS);
      assertThat(tx.validationCode()).as("code of mint %s", r.txId()).isEqualTo(ValidationCode.VALID);
      out.add(tx);
    }
    return out;
  }

  /** Submits {@code count} mints at once; the futures complete on f+1 matching replies. */
  static List<CompletableFuture<CommittedTx>> submitConcurrently(BftlabClient client, int count,
      Duration timeout) {
    List<CompletableFuture<CommittedTx>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Request r = client.newRequest("token", "mint", client.clientId().value(), "1");
      out.add(client.submitAndAwait(r, timeout));
    }
    return out;
  }

  /** Waits for every future; fails with the first failure. */
  static List<CommittedTx> join(List<CompletableFuture<CommittedTx>> futures, Duration timeout)
      throws Exception {
    List<CommittedTx> out = new ArrayList<>();
    for (CompletableFuture<CommittedTx> f : futures) {
      out.add(f.get(timeout.toSeconds() + 30, TimeUnit.SECONDS));
    }
    return out;
  }

  /**
   * Polls {@code nodes} every 50 ms until each reports {@code view} installed (view == {@code
   * view}, no view change in progress).
   */
  static List<NodeStatus> awaitView(List<URI> nodes, long view, Duration timeout)
      throws InterruptedException {
    List<List<NodeStatus>> last = new ArrayList<>(List.of(List.of()));
    return ClusterSupport.poll("view " + view + " installed on " + nodes, timeout, 50, () -> {
      List<NodeStatus> s = ClusterSupport.statusesOf(nodes);
      last.set(0, s);
      boolean ok = s.size() == nodes.size()
          && s.stream().allMatch(x -> x.view() == view && !x.viewChangeInProgress());
      return ok ? Optional.of(s) : Optional.empty();
    }, () -> describeViews(last.get(0)));
  }

  /** "node-1 view=1 (pending 1, vc=false) h=12 head=ab12…, …". */
  static String describeViews(List<NodeStatus> statuses) {
    StringBuilder b = new StringBuilder("[");
    for (NodeStatus s : statuses) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(s.nodeId()).append(" view=").append(s.view()).append(" (pending ")
          .append(s.pendingView()).append(s.viewChangeInProgress() ? ", in progress" : "")
          .append(") h=").append(s.height()).append(" stable=").append(s.lastStableCheckpoint())
          .append(" head=").append(s.headHash().shortHex());
    }
    return b.append(']').toString();
  }

  static void phase(String format, Object... args) {
    log("---- " + format, args);
  }
}
