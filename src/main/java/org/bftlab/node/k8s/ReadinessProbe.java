package org.bftlab.node.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.Readiness;
import org.bftlab.codec.Json;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisNode;

/**
 * Gathers what {@link Readiness#evaluate} needs for one running node: its own status, whether
 * its journal is replayed, its Pekko member status, and every peer's {@code GET /status} (the
 * genesis HTTP addresses; on Kubernetes the headless Service's per-pod names, which resolve for
 * pods that are not ready yet). Peers that do not answer within {@code peerTimeout} are left
 * out; f+1 answers are needed.
 *
 * <p>Peers' answers are unsigned: a Byzantine peer can report anything, but the rule takes the
 * (f+1)-th highest value, which at least one correct peer reached. Readiness is an operational
 * signal (when to roll the next pod), never a safety argument.
 */
public final class ReadinessProbe {
  private final NodeId self;
  private final int f;
  private final int checkpointInterval;
  private final List<GenesisNode> peers;
  private final Supplier<CompletionStage<NodeStatus>> status;
  private final BooleanSupplier recovered;
  private final Supplier<String> memberStatus;
  private final HttpClient http;
  private final Duration peerTimeout;
  private final ObjectMapper json = Json.mapper();

  /**
   * @param genesis the membership (peers' HTTP addresses, n, f)
   * @param self this node
   * @param checkpointInterval K
   * @param status this node's own status
   * @param recovered whether every component has replayed its journal
   * @param memberStatus this node's Pekko cluster member status ("Up" when joined)
   * @param peerTimeout how long to wait for each peer's status
   */
  public ReadinessProbe(Genesis genesis, NodeId self, int checkpointInterval,
      Supplier<CompletionStage<NodeStatus>> status, BooleanSupplier recovered,
      Supplier<String> memberStatus, Duration peerTimeout) {
    this.self = Objects.requireNonNull(self, "self");
    this.f = genesis.f();
    this.checkpointInterval = checkpointInterval;
    this.peers = genesis.nodes().stream().filter(n -> !n.id().equals(self)).toList();
    this.status = status;
    this.recovered = recovered;
    this.memberStatus = memberStatus;
    this.peerTimeout = peerTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(peerTimeout).build();
  }

  /** This node's readiness now. Never fails: a failure to ask itself is a not-ready reason. */
  public CompletionStage<Readiness> readiness() {
    List<CompletableFuture<Optional<Readiness.PeerView>>> asks = new ArrayList<>();
    for (GenesisNode p : peers) {
      asks.add(peerView(p));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new));
    CompletableFuture<NodeStatus> own = new CompletableFuture<>();
    try {
      status.get().whenComplete((s, e) -> {
        if (e != null) {
          own.completeExceptionally(e);
        } else {
          own.complete(s);
        }
      });
    } catch (RuntimeException e) {
      own.completeExceptionally(e);
    }
    return own.thenCombine(all, (s, ignored) -> {
      List<Readiness.PeerView> answered = asks.stream().map(CompletableFuture::join)
          .flatMap(Optional::stream).toList();
      return Readiness.evaluate(f, checkpointInterval, recovered.getAsBoolean(),
          memberStatus.get(), s, answered);
    }).exceptionally(e -> Readiness.notReady(self, "this node did not report its status: "
        + (e.getCause() != null ? e.getCause() : e)));
  }

  private CompletableFuture<Optional<Readiness.PeerView>> peerView(GenesisNode p) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(p.httpUrl() + "/status"))
        .timeout(peerTimeout).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> {
          if (r.statusCode() != 200) {
            return Optional.<Readiness.PeerView>empty();
          }
          try {
            NodeStatus s = json.readValue(r.body(), NodeStatus.class);
            if (!p.id().equals(s.nodeId())) {
              return Optional.<Readiness.PeerView>empty();
            }
            return Optional.of(new Readiness.PeerView(s.nodeId(), s.view(),
                s.lastStableCheckpoint()));
          } catch (IOException e) {
            return Optional.<Readiness.PeerView>empty();
          }
        })
        .exceptionally(e -> Optional.empty());
  }
}
