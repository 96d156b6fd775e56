package org.bftlab.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.ledger.StateKey;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;

/**
 * Read, build, submit with the read set, retry on conflict: the client side of Fabric-style
 * MVCC validation. One attempt reads each key ({@code GET /state/{contract}/{key}} on one node,
 * round-robin), lets the caller build the call from what it read, signs it with the read set
 * (each key's version, or "absent"), submits it and waits for f+1 matching replies. When the
 * outcome is {@link ValidationCode#MVCC_READ_CONFLICT} — someone wrote a key between the read
 * and the commit, or the node read from was behind — it starts over, at most {@code maxAttempts}
 * times in all; every other outcome (VALID, CONTRACT_REJECTED …) ends the loop. Reads come from
 * one node, unconfirmed: a stale or lying node can only cause a conflict, never a wrong write,
 * because every replica checks the versions at commit.
 */
public final class ReadSetTx {
  /** Attempts when none are given. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  private ReadSetTx() {}

  /**
   * A contract call built from what was read.
   *
   * @param contract e.g. {@code token}
   * @param operation e.g. {@code transfer}
   * @param args its arguments
   */
  public record Call(String contract, String operation, List<String> args) {
    public Call {
      Objects.requireNonNull(contract, "contract");
      Objects.requireNonNull(operation, "operation");
      args = List.copyOf(args);
    }
  }

  /**
   * How the loop ended.
   *
   * @param outcome the last attempt's confirmed outcome; null when the builder gave up
   * @param attempts attempts made (1..maxAttempts); each conflicting attempt is one
   * @param conflicts the MVCC_READ_CONFLICT outcomes seen, in order (reason of each)
   */
  public record Result(CommittedTx outcome, int attempts, List<String> conflicts) {
    public Result {
      conflicts = List.copyOf(conflicts);
    }

    /** True when the last attempt committed VALID. */
    public boolean valid() {
      return outcome != null && outcome.validationCode() == ValidationCode.VALID;
    }
  }

  /**
   * Runs the loop.
   *
   * @param client signs, submits and confirms (f+1)
   * @param keys the keys to read and to put in the read set, in this order
   * @param build from each key's entry (empty when absent) to the call; {@link Optional#empty()}
   *     gives up (e.g. the balance read is too low) and ends the loop without submitting
   * @param maxAttempts at least 1
   * @param timeout per attempt's commit wait
   * @return completes with the result; exceptionally like {@link BftlabClient#state} or {@link
   *     BftlabClient#submitAndAwait} (rejected by a node, timed out)
   */
  public static CompletableFuture<Result> run(BftlabClient client, List<StateKey> keys,
      Function<Map<StateKey, Optional<StateEntry>>, Optional<Call>> build, int maxAttempts,
      Duration timeout) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    return attempt(client, List.copyOf(keys), build, maxAttempts, timeout, 1, new ArrayList<>());
  }

  private static CompletableFuture<Result> attempt(BftlabClient client, List<StateKey> keys,
      Function<Map<StateKey, Optional<StateEntry>>, Optional<Call>> build, int maxAttempts,
      Duration timeout, int n, List<String> conflicts) {
    return read(client, keys).thenCompose(read -> {
      Optional<Call> call = build.apply(read);
      if (call.isEmpty()) {
        return CompletableFuture.completedFuture(new Result(null, n, conflicts));
      }
      Request r = client.newRequest(call.get().contract(), call.get().operation(),
          call.get().args(), readSet(read));
      return client.submitAndAwait(r, timeout).thenCompose(tx -> {
        if (tx.validationCode() == ValidationCode.MVCC_READ_CONFLICT && n < maxAttempts) {
          conflicts.add(tx.result());
          return attempt(client, keys, build, maxAttempts, timeout, n + 1, conflicts);
        }
        if (tx.validationCode() == ValidationCode.MVCC_READ_CONFLICT) {
          conflicts.add(tx.result());
        }
        return CompletableFuture.completedFuture(new Result(tx, n, conflicts));
      });
    });
  }

  /** Each key's entry, in order (one node's view). */
  static CompletableFuture<Map<StateKey, Optional<StateEntry>>> read(BftlabClient client,
      List<StateKey> keys) {
    List<CompletableFuture<Optional<StateEntry>>> all = new ArrayList<>();
    for (StateKey k : keys) {
      all.add(client.state(k.contract(), k.key()));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<StateKey, Optional<StateEntry>> m = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        m.put(keys.get(i), all.get(i).join());
      }
      return m;
    });
  }

  /** The read set of what was read: each key's version, or absent. */
  public static List<ReadEntry> readSet(Map<StateKey, Optional<StateEntry>> read) {
    List<ReadEntry> out = new ArrayList<>();
    read.forEach((k, e) -> out.add(e.map(x -> new ReadEntry(k.contract(), k.key(),
        x.version().blockHeight(), x.version().txIndex()))
        .orElse(ReadEntry.absent(k.contract(), k.key()))));
    return out;
  }
}
