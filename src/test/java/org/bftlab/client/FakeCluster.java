package org.bftlab.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.bftlab.api.NodeStatus;
import org.bftlab.api.TransactionBody;
import org.bftlab.api.TxStatus;
import org.bftlab.codec.Json;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Reply;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/** n fake nodes on {@link HttpServer}s bound to port 0, each scriptable per test. */
final class FakeCluster implements AutoCloseable {
  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's
    // algorithm and delayed ACKs add ~40 ms to many responses.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  static final ObjectMapper JSON = Json.mapper();
  static final byte[] GOOD_SIG = "ok".getBytes(StandardCharsets.UTF_8);

  /** An HTTP answer. */
  record Resp(int status, String body) {
    static Resp json(int status, Object value) {
      try {
        return new Resp(status, JSON.writeValueAsString(value));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Resp error(int status, String code, String message) {
      return json(status, Map.of("error", code, "message", message));
    }
  }

  /** One fake node. */
  static final class Node {
    final int index;
    final HttpServer server;
    final URI uri;
    /** txId → what GET /transactions/{txId} answers (absent → 404). */
    final Map<String, TxStatus> committed = new ConcurrentHashMap<>();
    /** Bodies POSTed, in arrival order. */
    final List<TransactionBody> posts = new CopyOnWriteArrayList<>();
    /** One permit per GET /transactions/..., to await "polled at least k times". */
    final Semaphore polls = new Semaphore(0);
    /** One permit per POST. */
    final Semaphore postsSeen = new Semaphore(0);
    /** Answers a POST; default 202 ACCEPTED. */
    volatile Function<TransactionBody, Resp> onPost =
        b -> Resp.json(202, Map.of("txId", b.toRequest().txId(), "status", "ACCEPTED"));
    volatile NodeStatus status;

    Node(int index, ExecutorService executor) throws IOException {
      this.index = index;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(executor);
      server.start();
      uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    NodeId id() {
      return new NodeId(index);
    }

    /** Makes this node report {@code txId} committed with this outcome, signed validly. */
    void commit(String txId, long height, ValidationCode code, String result) {
      committed.put(txId, status(txId, height, code, result, id(), GOOD_SIG));
    }

    private void handle(HttpExchange ex) throws IOException {
      try (ex) {
        String path = ex.getRequestURI().getPath();
        Resp resp;
        if (ex.getRequestMethod().equals("POST") && path.equals("/transactions")) {
          TransactionBody body = JSON.readValue(ex.getRequestBody(), TransactionBody.class);
          posts.add(body);
          resp = onPost.apply(body);
          postsSeen.release();
        } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/transactions/")) {
          TxStatus s = committed.get(path.substring("/transactions/".length()));
          resp = s == null ? Resp.error(404, "NOT_FOUND", "no such transaction")
              : Resp.json(200, s);
          polls.release();
        } else if (path.equals("/status") && status != null) {
          resp = Resp.json(200, status);
        } else {
          resp = Resp.error(404, "NOT_FOUND", path);
        }
        byte[] bytes = resp.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(resp.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  final List<Node> nodes = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  FakeCluster(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      nodes.add(new Node(i, executor));
    }
  }

  Node node(int i) {
    return nodes.get(i);
  }

  List<URI> uris() {
    return nodes.stream().map(n -> n.uri).toList();
  }

  /** A URL on which nothing listens (connection refused). */
  static URI deadUri() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }
  }

  static TxStatus status(String txId, long height, ValidationCode code, String result,
      NodeId replica, byte[] sig) {
    Reply reply = new Reply(0, 1, new ClientId("client-0"), replica, txId, height, code.name(),
        result, sig);
    return new TxStatus(txId, height, 0, code, result, reply);
  }

  /** A test signer: any bytes will do, the fake nodes do not verify. */
  static byte[] sign(byte[] msg) {
    return new byte[] {(byte) msg.length, 1, 2, 3};
  }

  /**
   * Makes every node a gateway in front of one shared, instantly committing token chain: mint
   * adds, transfer moves or is CONTRACT_REJECTED, a second request with a known txId but another
   * payload is 409 DUPLICATE_TXID (or, with {@code acceptDuplicates}, 202 and flagged in the
   * chain), the same request again is 200 with its status.
   */
  void runTokenChain(boolean acceptDuplicates) {
    Map<String, Long> balances = new HashMap<>();
    Map<String, Request> byTxId = new HashMap<>();
    long[] height = {0};
    for (Node node : nodes) {
      node.onPost = body -> {
        Request r = body.toRequest();
        String txId = r.txId();
        synchronized (balances) {
          Request known = byTxId.get(txId);
          if (known != null) {
            if (known.equals(r)) {
              return Resp.json(200, node.committed.get(txId));
            }
            if (!acceptDuplicates) {
              return Resp.error(409, "DUPLICATE_TXID", "txId " + txId + " is committed");
            }
            height[0]++; // the duplicate lands in a block, flagged; the txId keeps the original
            return Resp.json(202, Map.of("txId", txId, "status", "ACCEPTED"));
          }
          byTxId.put(txId, r);
          ValidationCode code = ValidationCode.VALID;
          String result;
          List<String> a = r.args();
          if (r.operation().equals("mint")) {
            result = Long.toString(balances.merge(a.get(0), Long.parseLong(a.get(1)), Long::sum));
          } else {
            long amount = Long.parseLong(a.get(2));
            long from = balances.getOrDefault(a.get(0), 0L);
            if (from < amount) {
              code = ValidationCode.CONTRACT_REJECTED;
              result = "overdraft: " + a.get(0) + " has " + from;
            } else {
              balances.put(a.get(0), from - amount);
              balances.merge(a.get(1), amount, Long::sum);
              result = "ok";
            }
          }
          long h = ++height[0];
          for (Node n : nodes) {
            n.committed.put(txId, status(txId, h, code, result, n.id(), GOOD_SIG));
          }
          return Resp.json(202, Map.of("txId", txId, "status", "ACCEPTED"));
        }
      };
    }
  }

  @Override
  public void close() {
    nodes.forEach(n -> n.server.stop(0));
    executor.shutdownNow();
  }
}
