package org.bftlab.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.bftlab.core.ledger.PortabilityContract;
import org.bftlab.core.ledger.StateEntry;
import org.bftlab.core.ledger.StateKey;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.workload.PortabilityWorkload;
import org.bftlab.workload.PortabilityWorkload.NumberPlan;

/**
 * Runs a {@link PortabilityWorkload} over a live cluster in four rounds, each submitted
 * concurrently and confirmed by f+1 replies before the next: (1) every holder registers its
 * numbers; (2) every recipient reads its number ({@code GET /state}) and requests the port with
 * that read set — alongside, a competitor's request built on the same read, or the holder's
 * racing re-registration; (3) the holder approves or rejects each port that committed, with a
 * fresh read; (4) the recipient completes each approved port. Counts every outcome by kind and
 * validation code.
 */
public final class PortabilityRun {
  /** What a transaction of the run is for. */
  public enum Kind { REGISTER, REQUEST_PORT, COMPETING_REQUEST, RE_REGISTER, APPROVE_PORT,
    REJECT_PORT, COMPLETE_PORT }

  /**
   * One confirmed transaction.
   *
   * @param kind what it was for
   * @param number the number
   * @param code its validation code
   * @param result the contract's result, or the reason it was not VALID
   */
  public record Outcome(Kind kind, String number, ValidationCode code, String result) {}

  /**
   * The run's outcomes.
   *
   * @param outcomes every confirmed transaction, round by round
   * @param elapsedMs wall time of the four rounds
   */
  public record Report(List<Outcome> outcomes, long elapsedMs) {
    public Report {
      outcomes = List.copyOf(outcomes);
    }

    /** Count per validation code. */
    public Map<ValidationCode, Long> byCode() {
      Map<ValidationCode, Long> m = new TreeMap<>();
      outcomes.forEach(o -> m.merge(o.code(), 1L, Long::sum));
      return m;
    }

    /** Count per "KIND → CODE". */
    public Map<String, Long> byKind() {
      Map<String, Long> m = new TreeMap<>();
      outcomes.forEach(o -> m.merge(o.kind() + " → " + o.code(), 1L, Long::sum));
      return m;
    }

    /** The summary lines, as {@code bftlab demo --workload portability} prints them. */
    public String toText() {
      StringBuilder b = new StringBuilder();
      b.append(String.format("%-42s %d%n", "transactions", outcomes.size()));
      byCode().forEach((c, n) -> b.append(String.format("%-42s %d%n", "validation " + c, n)));
      byKind().forEach((k, n) -> b.append(String.format("%-42s %d%n", "kind " + k, n)));
      outcomes.stream().filter(o -> o.code() != ValidationCode.VALID).map(o -> o.code() + ": "
          + o.result()).distinct().limit(4).forEach(r -> b.append("e.g. ").append(r)
          .append('\n'));
      b.append(String.format("%-42s %d ms%n", "elapsed", elapsedMs));
      return b.toString();
    }
  }

  private final Function<Integer, BftlabClient> telco;
  private final Duration timeout;

  /**
   * @param telco the client of telco i (index into {@link PortabilityWorkload#telcos()})
   * @param timeout per transaction's commit wait
   */
  public PortabilityRun(Function<Integer, BftlabClient> telco, Duration timeout) {
    this.telco = telco;
    this.timeout = timeout;
  }

  /**
   * Runs the four rounds.
   *
   * @throws ExecutionException when a transaction is refused by every node or times out
   */
  public Report run(PortabilityWorkload w) throws InterruptedException, ExecutionException {
    long t0 = System.nanoTime();
    List<Outcome> all = new ArrayList<>();
    Round r1 = new Round();
    for (NumberPlan p : w.numbers()) {
      r1.add(Kind.REGISTER, p.number(), telco.apply(p.holder()), "register",
          List.of(p.number(), name(w, p.holder())), List.of());
    }
    all.addAll(r1.await());

    Round r2 = new Round();
    for (NumberPlan p : w.numbers()) {
      List<ReadEntry> read = read(telco.apply(p.recipient()), p.number());
      r2.add(Kind.REQUEST_PORT, p.number(), telco.apply(p.recipient()), "request-port",
          List.of(p.number(), name(w, p.recipient()), p.customerHash()), read);
      if (p.competitor() >= 0) {
        r2.add(Kind.COMPETING_REQUEST, p.number(), telco.apply(p.competitor()), "request-port",
            List.of(p.number(), name(w, p.competitor()), p.customerHash()), read);
      }
      if (p.raceReRegister()) {
        r2.add(Kind.RE_REGISTER, p.number(), telco.apply(p.holder()), "register",
            List.of(p.number(), name(w, p.holder())), List.of());
      }
    }
    List<Outcome> requests = r2.await();
    all.addAll(requests);

    Round r3 = new Round();
    for (NumberPlan p : w.numbers()) {
      if (requested(requests, p.number())) {
        r3.add(p.approve() ? Kind.APPROVE_PORT : Kind.REJECT_PORT, p.number(),
            telco.apply(p.holder()), p.approve() ? "approve-port" : "reject-port",
            List.of(p.number()), read(telco.apply(p.holder()), p.number()));
      }
    }
    List<Outcome> decisions = r3.await();
    all.addAll(decisions);

    Round r4 = new Round();
    for (NumberPlan p : w.numbers()) {
      Optional<Outcome> approved = decisions.stream().filter(o -> o.number().equals(p.number())
          && o.kind() == Kind.APPROVE_PORT && o.code() == ValidationCode.VALID).findFirst();
      if (approved.isPresent()) {
        // the winner of round 2: the recipient, or the competitor whose request committed
        boolean competitorWon = requests.stream().anyMatch(o -> o.number().equals(p.number())
            && o.kind() == Kind.COMPETING_REQUEST && o.code() == ValidationCode.VALID);
        int winner = competitorWon ? p.competitor() : p.recipient();
        r4.add(Kind.COMPLETE_PORT, p.number(), telco.apply(winner), "complete-port",
            List.of(p.number()), List.of());
      }
    }
    all.addAll(r4.await());
    return new Report(all, (System.nanoTime() - t0) / 1_000_000);
  }

  private static String name(PortabilityWorkload w, int telco) {
    return w.telcos().get(telco).value();
  }

  private static boolean requested(List<Outcome> round, String number) {
    return round.stream().anyMatch(o -> o.number().equals(number) && o.code() == ValidationCode.VALID
        && (o.kind() == Kind.REQUEST_PORT || o.kind() == Kind.COMPETING_REQUEST));
  }

  /** The read set of {@code number} as one node answers it now. */
  private static List<ReadEntry> read(BftlabClient c, String number)
      throws InterruptedException, ExecutionException {
    StateKey k = new StateKey(PortabilityContract.NAME, number);
    Map<StateKey, Optional<StateEntry>> m = ReadSetTx.read(c, List.of(k)).get();
    return ReadSetTx.readSet(m);
  }

  /** Transactions submitted together, awaited together. */
  private final class Round {
    private final List<CompletableFuture<Outcome>> pending = new ArrayList<>();

    void add(Kind kind, String number, BftlabClient c, String op, List<String> args,
        List<ReadEntry> reads) {
      Request r = c.newRequest(PortabilityContract.NAME, op, args, reads);
      pending.add(c.submitAndAwait(r, timeout).thenApply(tx ->
          new Outcome(kind, number, tx.validationCode(), tx.result())));
    }

    List<Outcome> await() throws InterruptedException, ExecutionException {
      List<Outcome> out = new ArrayList<>();
      for (CompletableFuture<Outcome> f : pending) {
        out.add(f.get());
      }
      return out;
    }
  }
}
