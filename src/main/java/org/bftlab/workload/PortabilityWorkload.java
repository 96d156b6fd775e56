package org.bftlab.workload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;

/**
 * A deterministic number-portability workload for the {@code portability} contract: the same
 * seed, telcos and size always give the same plan. Each telco is a client (its telco name is its
 * client id). Every number is registered by its holder, then a recipient asks to port it; some
 * numbers also get a competing request built on the same read (one of the two ends
 * MVCC_READ_CONFLICT, or CONTRACT_REJECTED "has a port in flight" when it read later) or a
 * re-registration by the holder racing the request; the holder approves most ports and rejects
 * some; the recipient completes the approved ones.
 */
public final class PortabilityWorkload {
  /** Share of numbers with a competing port request, in percent. */
  public static final int COMPETING_PERCENT = 25;
  /** Share of numbers whose holder re-registers while the port is requested, in percent. */
  public static final int RACE_PERCENT = 15;
  /** Share of requested ports the holder rejects, in percent. */
  public static final int REJECT_PERCENT = 20;

  /**
   * One number's plan.
   *
   * @param number the phone number, e.g. {@code +4915100000007}
   * @param holder index of the telco that registers it
   * @param recipient index of the telco that requests the port (never the holder)
   * @param competitor index of a telco that requests the same port from the same read, or -1
   * @param raceReRegister true when the holder re-registers the number concurrently with the
   *     request
   * @param approve true when the holder approves (else rejects) a port request that committed
   * @param customerHash SHA-256 hex of the (synthetic) customer data: all that goes on chain
   */
  public record NumberPlan(String number, int holder, int recipient, int competitor,
      boolean raceReRegister, boolean approve, String customerHash) {}

  private final long seed;
  private final List<ClientId> telcos;
  private final List<NumberPlan> numbers;

  private PortabilityWorkload(long seed, List<ClientId> telcos, List<NumberPlan> numbers) {
    this.seed = seed;
    this.telcos = List.copyOf(telcos);
    this.numbers = List.copyOf(numbers);
  }

  /**
   * Generates a plan from {@code new SplittableRandom(seed)}.
   *
   * @param telcos at least 2 distinct clients
   * @param numbers how many numbers to port (>= 1)
   * @throws IllegalArgumentException for fewer than 2 telcos or no numbers
   */
  public static PortabilityWorkload generate(long seed, List<ClientId> telcos, int numbers) {
    if (telcos.size() < 2 || telcos.stream().distinct().count() != telcos.size()) {
      throw new IllegalArgumentException("number portability needs at least 2 distinct telcos, "
          + "got " + telcos);
    }
    if (numbers < 1) {
      throw new IllegalArgumentException("numbers must be >= 1, got " + numbers);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<NumberPlan> plan = new ArrayList<>();
    int t = telcos.size();
    for (int i = 0; i < numbers; i++) {
      int holder = rnd.nextInt(t);
      int recipient = (holder + 1 + rnd.nextInt(t - 1)) % t;
      int competitor = rnd.nextInt(100) < COMPETING_PERCENT
          ? (holder + 1 + rnd.nextInt(t - 1)) % t : -1;
      boolean race = competitor < 0 && rnd.nextInt(100) < RACE_PERCENT;
      boolean approve = rnd.nextInt(100) >= REJECT_PERCENT;
      String number = String.format("+4915%03d%06d", seed % 1000, i);
      String customer = "customer " + i + " of " + telcos.get(holder) + " (seed " + seed + ")";
      plan.add(new NumberPlan(number, holder, recipient, competitor, race, approve,
          Digest.sha256(customer.getBytes(StandardCharsets.UTF_8)).hex()));
    }
    return new PortabilityWorkload(seed, telcos, plan);
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The telcos (clients), by index. */
  public List<ClientId> telcos() {
    return telcos;
  }

  /** One plan per number. */
  public List<NumberPlan> numbers() {
    return numbers;
  }
}
