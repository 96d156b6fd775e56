package org.bftlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.ClientIdentity;
import org.bftlab.client.CommittedTx;
import org.bftlab.client.LoadGenerator;
import org.bftlab.client.LoadReport;
import org.bftlab.client.NodeReport;
import org.bftlab.client.ReadSetTx;
import org.bftlab.client.SubmitReceipt;
import org.bftlab.client.SubmitRejected;
import org.bftlab.core.ledger.StateKey;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.workload.Workload;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab client submit|load|status}: signs transactions, submits them over the nodes'
 * HTTP API and waits for f+1 matching replies (Castro &amp; Liskov, OSDI'99 §4.1).
 *
 * <p>Genesis and key files are read through {@link ClientIdentity#loader()}, which the
 * application wires to {@code org.bftlab.crypto} before running the command.
 *
 * <p>Exit codes: 0 success (for {@code submit}: committed, whatever its validation code);
 * 1 {@code status}: nodes at the same height disagree on the head hash; 2 rejected at the
 * gateway; 3 not confirmed in time, or no node reachable; 4 bad usage or unreadable files.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Sign transactions, submit them and wait for f+1 matching replies.",
    subcommands = {ClientCommand.Submit.class, ClientCommand.Load.class,
        ClientCommand.Status.class, ReceiptCommands.Fetch.class, ReceiptCommands.Verify.class},
    footer = {"", "Exit codes: 0 ok; 1 heads differ (status); 2 rejected at the gateway;",
        "3 timeout or no node reachable; 4 bad usage or unreadable files."})
public final class ClientCommand implements Callable<Integer> {
  /** Exit code: nodes disagree (status). */
  public static final int EXIT_DISAGREE = 1;
  /** Exit code: rejected at the gateway. */
  public static final int EXIT_REJECTED = 2;
  /** Exit code: not confirmed within the timeout, or no node reachable. */
  public static final int EXIT_TIMEOUT = 3;
  /** Exit code: bad usage, unreadable genesis or key. */
  public static final int EXIT_USAGE = 4;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options every subcommand takes. */
  public static final class Common {
    @Option(names = "--node", paramLabel = "URL",
        description = "A node's HTTP base URL (repeatable). Default: every node in the genesis.")
    List<URI> nodes = new ArrayList<>();

    @Option(names = "--genesis", paramLabel = "FILE",
        description = "Genesis file. Default: ${DEFAULT-VALUE}.",
        defaultValue = "cluster-configs/local-4/genesis.json")
    Path genesis;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = "client-0",
        description = "Signing client. Default: ${DEFAULT-VALUE}.")
    String clientId;

    @Option(names = "--client-key", paramLabel = "FILE",
        description = "Client private key. Default: <genesis dir>/clients/<client-id>.key.")
    Path clientKey;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "Seconds to wait for f+1 matching replies. Default: ${DEFAULT-VALUE}.")
    double timeoutSeconds;

    Duration timeout() {
      return Duration.ofMillis((long) (timeoutSeconds * 1000));
    }

    /** The default key file of {@code client}. */
    Path keyFileOf(String client) {
      Path dir = genesis.toAbsolutePath().getParent();
      return dir.resolve("clients").resolve(client + ".key");
    }

    ClientIdentity identity(Path keyFile) throws IOException {
      return ClientIdentity.loader().load(genesis, keyFile);
    }

    List<URI> nodesOf(ClientIdentity id) {
      return nodes.isEmpty() ? id.nodeUrls() : nodes;
    }

    /** The genesis-only identity, or null after printing why it cannot be read. */
    ClientIdentity identityOrReport(PrintWriter err) {
      try {
        return identity(null);
      } catch (IOException | RuntimeException e) {
        err.println("error: " + e.getMessage());
        return null;
      }
    }

    /** A client named {@code name} that signs nothing: for queries (status, receipts). */
    BftlabClient queryClient(ClientIdentity id, String name) {
      List<URI> to = nodesOf(id);
      return new BftlabClient(id.clusterId(), new ClientId(name), b -> new byte[0], to,
          Math.min(id.f(), to.size() - 1), timeout());
    }
  }

  /** {@code client submit CONTRACT OPERATION ARGS...}. */
  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Sign and submit one transaction, then wait for f+1 matching replies.")
  public static final class Submit implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(index = "0", paramLabel = "CONTRACT", description = "e.g. token")
    String contract;

    @Parameters(index = "1", paramLabel = "OPERATION", description = "e.g. transfer")
    String operation;

    @Parameters(index = "2..*", paramLabel = "ARGS", arity = "0..*",
        description = "Operation arguments, e.g. client-0 client-1 5")
    List<String> args = new ArrayList<>();

    @Option(names = "--read", paramLabel = "CONTRACT/KEY",
        description = "Read this key's version (GET /state) and sign it into the read set "
            + "(repeatable); the transaction is MVCC_READ_CONFLICT if the key changes first.")
    List<String> reads = new ArrayList<>();

    @Option(names = "--read-version", paramLabel = "CONTRACT/KEY@HEIGHT.INDEX",
        description = "A read-set entry with a version read earlier, or @absent (repeatable).")
    List<String> readVersions = new ArrayList<>();

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "1",
        description = "With --read: on MVCC_READ_CONFLICT read again and resubmit, at most N "
            + "attempts in all. Default: ${DEFAULT-VALUE}.")
    int attempts;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ClientId clientId;
      ClientIdentity id;
      try {
        clientId = new ClientId(common.clientId);
        Path key = common.clientKey != null ? common.clientKey : common.keyFileOf(common.clientId);
        id = common.identity(key);
      } catch (IOException | RuntimeException e) {
        err.println("error: " + e.getMessage());
        return EXIT_USAGE;
      }
      try (BftlabClient client = new BftlabClient(id.clusterId(), clientId, id.signer(),
          common.nodesOf(id), id.f(), common.timeout(), id.clientOptions())) {
        if (!reads.isEmpty()) {
          return readBuildSubmit(client, out);
        }
        List<ReadEntry> readSet = new ArrayList<>();
        for (String rv : readVersions) {
          readSet.add(parseReadVersion(rv));
        }
        Request request = client.newRequest(contract, operation, args, readSet);
        out.println("txId " + request.txId());
        out.flush();
        SubmitReceipt receipt = client.submit(request).get();
        out.println((receipt.alreadyCommitted() ? "already committed at " : "accepted by ")
            + receipt.node() + "; waiting for f+1 = " + (id.f() + 1) + " matching replies");
        out.flush();
        CommittedTx tx = client.awaitCommitted(request, common.timeout()).get();
        out.printf(Locale.ROOT, "committed height %d index %d %s result \"%s\" (confirmed by %s"
            + " in %d ms%s)%n", tx.blockHeight(), tx.txIndex(), tx.validationCode(), tx.result(),
            String.join(", ", tx.confirmedBy()), tx.elapsedMs(),
            tx.retransmitted() ? ", after re-sending to all nodes" : "");
        for (String d : tx.dissent()) {
          out.println("dissent: " + d);
        }
        return 0;
      } catch (ExecutionException e) {
        return failure(e.getCause(), err);
      } catch (RuntimeException e) {
        err.println("error: " + e.getMessage());
        return EXIT_USAGE;
      }
    }

    /** --read: {@link ReadSetTx}, printing each conflict and the final outcome. */
    private int readBuildSubmit(BftlabClient client, PrintWriter out)
        throws InterruptedException, ExecutionException {
      List<StateKey> keys = reads.stream().map(ClientCommand::parseKey).toList();
      ReadSetTx.Result r = ReadSetTx.run(client, keys, read -> {
        out.println("read set " + ReadSetTx.readSet(read));
        out.flush();
        return Optional.of(new ReadSetTx.Call(contract, operation, args));
      }, attempts, common.timeout()).get();
      for (String c : r.conflicts()) {
        out.println("MVCC_READ_CONFLICT: " + c);
      }
      CommittedTx tx = r.outcome();
      out.printf(Locale.ROOT, "committed height %d index %d %s result \"%s\" after %d "
          + "attempt(s) (confirmed by %s)%n", tx.blockHeight(), tx.txIndex(),
          tx.validationCode(), tx.result(), r.attempts(), String.join(", ", tx.confirmedBy()));
      return 0;
    }
  }

  /** {@code --read-version contract/key@height.index} or {@code contract/key@absent}. */
  static ReadEntry parseReadVersion(String text) {
    int at = text.lastIndexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("--read-version is CONTRACT/KEY@HEIGHT.INDEX or "
          + "CONTRACT/KEY@absent, got '" + text + "'");
    }
    StateKey k = parseKey(text.substring(0, at));
    String v = text.substring(at + 1);
    if (v.equals("absent")) {
      return ReadEntry.absent(k.contract(), k.key());
    }
    String[] hi = v.split("\\.");
    try {
      return new ReadEntry(k.contract(), k.key(), Long.parseLong(hi[0]),
          Integer.parseInt(hi[1]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("version must be HEIGHT.INDEX (e.g. 3.0) or absent, got '"
          + v + "'");
    }
  }

  /** {@code contract/key}; the key may contain further slashes. */
  static StateKey parseKey(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException("a key is CONTRACT/KEY, e.g. token/client-0, got '"
          + text + "'");
    }
    return new StateKey(text.substring(0, slash), text.substring(slash + 1));
  }

  /** {@code client load}. */
  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Run a seeded token workload and report throughput and latency.")
  public static final class Load implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Option(names = "--transactions", paramLabel = "N", defaultValue = "1000",
        description = "Transactions, setup mints included. Default: ${DEFAULT-VALUE}.")
    int transactions;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
        description = "Target submissions per second; 0 = as fast as concurrency allows.")
    double rate;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "16",
        description = "Transactions in flight at once. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--clients", paramLabel = "K", defaultValue = "1",
        description = "Signing clients: 1 uses --client-id, K > 1 uses client-0..client-(K-1).")
    int clientCount;

    @Option(names = "--seed", defaultValue = "1", description = "Workload seed. Default: 1.")
    long seed;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (clientCount < 1 || concurrency < 1 || rate < 0) {
        err.println("error: --clients and --concurrency must be >= 1, --rate >= 0");
        return EXIT_USAGE;
      }
      List<ClientId> ids = new ArrayList<>();
      List<ClientIdentity> identities = new ArrayList<>();
      Workload workload;
      try {
        for (int i = 0; i < clientCount; i++) {
          String name = clientCount == 1 ? common.clientId : "client-" + i;
          ids.add(new ClientId(name));
          Path key = clientCount == 1 && common.clientKey != null ? common.clientKey
              : common.keyFileOf(name);
          identities.add(common.identity(key));
        }
        workload = Workload.generate(seed, ids, transactions);
      } catch (IOException | RuntimeException e) {
        err.println("error: " + e.getMessage());
        return EXIT_USAGE;
      }
      ScheduledExecutorService scheduler = BftlabClient.newScheduler();
      HttpClient http = BftlabClient.newHttpClient(Duration.ofSeconds(5));
      List<BftlabClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < clientCount; i++) {
          ClientIdentity id = identities.get(i);
          clients.add(new BftlabClient(id.clusterId(), ids.get(i), id.signer(),
              common.nodesOf(id), id.f(), common.timeout(), id.clientOptions()
                  .withScheduler(scheduler).withHttpClient(http)));
        }
        AtomicLong lastPrint = new AtomicLong();
        LoadReport report = new LoadGenerator(clients, common.timeout()).run(workload,
            concurrency, rate, committed -> {
              long now = System.nanoTime();
              long last = lastPrint.get();
              if (now - last > 200_000_000L && lastPrint.compareAndSet(last, now)) {
                synchronized (err) {
                  err.print("\rcommitted " + committed + "/" + transactions);
                  err.flush();
                }
              }
            });
        synchronized (err) {
          err.print("\r" + " ".repeat(40) + "\r"); // clear the progress line
          err.flush();
        }
        out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
        out.flush();
        return report.committed() == 0 && transactions > 0 ? EXIT_TIMEOUT : 0;
      } catch (RuntimeException e) {
        err.println("error: " + e.getMessage());
        return EXIT_USAGE;
      } finally {
        clients.forEach(BftlabClient::close);
        scheduler.shutdownNow();
      }
    }
  }

  /** {@code client status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Print every node's status; exit 1 if heads at the same height differ.")
  public static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ClientIdentity id = common.identityOrReport(err);
      if (id == null) {
        return EXIT_USAGE;
      }
      List<NodeReport> reports;
      try (BftlabClient client = common.queryClient(id, "status")) {
        reports = client.statusReports().get();
      } catch (ExecutionException e) {
        err.println("error: " + e.getCause().getMessage());
        return EXIT_TIMEOUT;
      }
      out.print(table(reports));
      Map<Long, NodeStatus> byHeight = new HashMap<>();
      boolean disagree = false;
      boolean any = false;
      for (NodeReport r : reports) {
        if (!r.reachable()) {
          continue;
        }
        any = true;
        NodeStatus s = r.status();
        NodeStatus other = byHeight.putIfAbsent(s.height(), s);
        if (other != null && !other.headHash().equals(s.headHash())) {
          disagree = true;
          out.println("DISAGREE: " + other.nodeId() + " and " + s.nodeId() + " at height "
              + s.height() + ": " + other.headHash().shortHex() + " != "
              + s.headHash().shortHex());
        }
      }
      out.flush();
      if (!any) {
        err.println("error: no node reachable");
        return EXIT_TIMEOUT;
      }
      return disagree ? EXIT_DISAGREE : 0;
    }

    /** The table: node, view, primary, height, head hash (8 hex), h, H. */
    static String table(List<NodeReport> reports) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"node", "view", "primary", "height", "head", "h", "H", "url"});
      for (NodeReport r : reports) {
        NodeStatus s = r.status();
        rows.add(s == null
            ? new String[] {"?", "-", "-", "-", "-", "-", "-", r.node() + "  " + r.error()}
            : new String[] {s.nodeId().toString(), Long.toString(s.view()),
                s.primary().toString(), Long.toString(s.height()), s.headHash().shortHex(),
                Long.toString(s.lowWatermark()), Long.toString(s.highWatermark()),
                r.node().toString()});
      }
      int[] w = new int[rows.get(0).length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length - 1; i++) {
          w[i] = Math.max(w[i], row[i].length());
        }
      }
      StringBuilder b = new StringBuilder();
      for (String[] row : rows) {
        for (int i = 0; i < row.length - 1; i++) {
          b.append(String.format(Locale.ROOT, "%-" + w[i] + "s  ", row[i]));
        }
        b.append(row[row.length - 1]).append(System.lineSeparator());
      }
      return b.toString();
    }
  }

  private static int failure(Throwable cause, PrintWriter err) {
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof SubmitRejected r) {
      err.println("rejected: " + r.getMessage());
      return r.httpStatus() == 0 || r.httpStatus() == 503 ? EXIT_TIMEOUT : EXIT_REJECTED;
    }
    if (cause instanceof TimeoutException t) {
      err.println("timeout: " + t.getMessage());
      return EXIT_TIMEOUT;
    }
    err.println("error: " + cause);
    return EXIT_USAGE;
  }

  /** Runs the command with {@code args}; returns the exit code. */
  public static int run(String... args) {
    return new CommandLine(new ClientCommand()).execute(args);
  }
}
