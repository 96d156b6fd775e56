package org.bftlab.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.msg.ValidationCode;

/**
 * A deterministic token workload: the same seed, clients and size always give the same steps.
 *
 * <p>Shape ({@code token} contract: {@code mint(account, amount)}, {@code transfer(from, to,
 * amount)}, {@code balance(account)}; an account is owned by the client it is named after:
 * {@code client-0} or {@code client-0:<name>}):
 * <ol>
 *   <li>Setup ({@link #setupCount()} steps, {@link Kind#MINT}): each client mints {@link
 *       #mintAmount()} into each of its {@value #ACCOUNTS_PER_CLIENT} accounts. These must commit
 *       before the rest runs.
 *   <li>Transfers: each signed by the owner of {@code from}, amount 1..{@value #MAX_TRANSFER}.
 *       The mint is large enough that no ordering of these can overdraw an account, so they are
 *       all expected {@code VALID}.
 *   <li>About {@value #OVERDRAFT_PERCENT}% of the transfers are {@link Kind#OVERDRAFT}s (at
 *       least one when there are 3 or more transfers): an amount greater than {@link
 *       #totalSupply()}, so greater than any balance — expected {@code CONTRACT_REJECTED}.
 *   <li>Exactly one {@link Kind#REPLAY}: right after a normal transfer, a request by the same
 *       client that must reuse that transfer's timestamp ({@link Step#replayOf()}) with another
 *       payload (amount + 1). Same (client, t) means same txId, executed at most once: the
 *       primary drops the replay while the original is pending or ordered; if it is ordered
 *       anyway (a faulty primary) the chain flags it {@code DUPLICATE_TXID}; once the original
 *       is committed the gateway answers 409 {@code DUPLICATE_TXID}.
 * </ol>
 */
public final class Workload {
  /** Accounts each client owns: {@code <clientId>} and {@code <clientId>:acct1} …. */
  public static final int ACCOUNTS_PER_CLIENT = 2;
  /** Largest amount of a normal transfer. */
  public static final int MAX_TRANSFER = 100;
  /** Share of transfers that are overdrafts, in percent. */
  public static final int OVERDRAFT_PERCENT = 5;
  /** Smallest amount minted into each account. */
  public static final long MIN_MINT = 1_000_000;
  /** The contract every step calls. */
  public static final String CONTRACT = "token";

  /** What a step is for. */
  public enum Kind {
    /** Setup: mint into an account the signing client owns. Expected VALID. */
    MINT(ValidationCode.VALID),
    /** A transfer that cannot overdraw. Expected VALID. */
    TRANSFER(ValidationCode.VALID),
    /** A transfer of more than the total supply. Expected CONTRACT_REJECTED. */
    OVERDRAFT(ValidationCode.CONTRACT_REJECTED),
    /** A second request with an earlier step's (client, timestamp). Expected DUPLICATE_TXID. */
    REPLAY(ValidationCode.DUPLICATE_TXID),
    /**
     * One of a pair of transfers of a whole balance built on the same read ({@link
     * #generateWithConflicts}): exactly one of the pair is VALID, the other — the expected
     * code — MVCC_READ_CONFLICT.
     */
    DOUBLE_SPEND(ValidationCode.MVCC_READ_CONFLICT);

    private final ValidationCode expected;

    Kind(ValidationCode expected) {
      this.expected = expected;
    }

    /** The validation code the chain should give a step of this kind. */
    public ValidationCode expected() {
      return expected;
    }
  }

  /**
   * One transaction to sign and submit.
   *
   * @param index position in {@link #steps()}
   * @param clientIndex which client signs it (index into {@link #clients()})
   * @param contract always {@value #CONTRACT}
   * @param operation {@code mint} or {@code transfer}
   * @param args the operation's arguments (amounts in token units, decimal)
   * @param kind what the step is for
   * @param replayOf for {@link Kind#REPLAY}: the index of the step whose timestamp it must
   *     reuse (always {@code index - 1}); otherwise -1
   * @param readAccount for {@link Kind#DOUBLE_SPEND}: the {@code token} account the step's read
   *     set names; otherwise null
   * @param readVersionOf for {@link Kind#DOUBLE_SPEND}: the index of the (setup) step whose
   *     committed (height, index) is the version read — the mint that last wrote {@code
   *     readAccount}; otherwise -1
   */
  public record Step(int index, int clientIndex, String contract, String operation,
      List<String> args, Kind kind, int replayOf, String readAccount, int readVersionOf) {
    public Step {
      args = List.copyOf(args);
    }

    /** A step without a read set. */
    public Step(int index, int clientIndex, String contract, String operation, List<String> args,
        Kind kind, int replayOf) {
      this(index, clientIndex, contract, operation, args, kind, replayOf, null, -1);
    }

    /** This step at another position (and its replay / read references moved by {@code map}). */
    Step at(int newIndex, java.util.function.IntUnaryOperator map) {
      return new Step(newIndex, clientIndex, contract, operation, args, kind,
          replayOf < 0 ? -1 : map.applyAsInt(replayOf), readAccount,
          readVersionOf < 0 ? -1 : map.applyAsInt(readVersionOf));
    }

    /** The validation code the chain should give this step. */
    public ValidationCode expected() {
      return kind.expected();
    }
  }

  private final long seed;
  private final List<ClientId> clients;
  private final List<String> accounts;
  private final List<Step> steps;
  private final int setupCount;
  private final long mintAmount;

  private Workload(long seed, List<ClientId> clients, List<String> accounts, List<Step> steps,
      int setupCount, long mintAmount) {
    this.seed = seed;
    this.clients = List.copyOf(clients);
    this.accounts = List.copyOf(accounts);
    this.steps = List.copyOf(steps);
    this.setupCount = setupCount;
    this.mintAmount = mintAmount;
  }

  /** The smallest {@code transactions} that {@link #generate} accepts for this many clients. */
  public static int minimumTransactions(int clientCount) {
    return clientCount * ACCOUNTS_PER_CLIENT + 2;
  }

  /**
   * Generates a workload from {@code new SplittableRandom(seed)}.
   *
   * @param seed the seed; the same arguments always give the same steps
   * @param clients the signing clients (at least one)
   * @param transactions total steps, mints included; at least {@link #minimumTransactions}
   * @throws IllegalArgumentException when there are no clients or too few transactions
   */
  public static Workload generate(long seed, List<ClientId> clients, int transactions) {
    Objects.requireNonNull(clients, "clients");
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("a workload needs at least one client");
    }
    if (clients.stream().distinct().count() != clients.size()) {
      throw new IllegalArgumentException("clients must be distinct: " + clients);
    }
    int minimum = minimumTransactions(clients.size());
    if (transactions < minimum) {
      throw new IllegalArgumentException("a workload for " + clients.size() + " client(s) needs"
          + " at least " + minimum + " transactions (" + clients.size() * ACCOUNTS_PER_CLIENT
          + " mints, one transfer and its replay), got " + transactions);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> accounts = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int c = 0; c < clients.size(); c++) {
      for (int a = 0; a < ACCOUNTS_PER_CLIENT; a++) {
        accounts.add(a == 0 ? clients.get(c).value() : clients.get(c).value() + ":acct" + a);
        owner.add(c);
      }
    }
    int setup = accounts.size();
    int transfers = transactions - setup;
    long mint = Math.max(MIN_MINT, (long) transfers * (MAX_TRANSFER + 1));
    long totalSupply = mint * accounts.size();

    List<Step> steps = new ArrayList<>(transactions);
    for (int i = 0; i < setup; i++) {
      steps.add(new Step(i, owner.get(i), CONTRACT, "mint",
          List.of(accounts.get(i), Long.toString(mint)), Kind.MINT, -1));
    }
    int original = setup + rnd.nextInt(transfers - 1);
    boolean anyOverdraft = false;
    for (int i = setup; i < transactions; i++) {
      if (i == original + 1) {
        Step o = steps.get(original);
        long amount = Long.parseLong(o.args().get(2)) + 1;
        steps.add(new Step(i, o.clientIndex(), CONTRACT, "transfer",
            List.of(o.args().get(0), o.args().get(1), Long.toString(amount)), Kind.REPLAY,
            original));
        continue;
      }
      int from = rnd.nextInt(accounts.size());
      int to = (from + 1 + rnd.nextInt(accounts.size() - 1)) % accounts.size();
      boolean overdraft = i != original && rnd.nextInt(100) < OVERDRAFT_PERCENT;
      anyOverdraft |= overdraft;
      steps.add(transfer(i, owner.get(from), accounts.get(from), accounts.get(to), overdraft,
          totalSupply, rnd));
    }
    if (!anyOverdraft && transfers >= 3) {
      int i;
      do {
        i = setup + rnd.nextInt(transfers);
      } while (i == original || i == original + 1);
      Step s = steps.get(i);
      steps.set(i, transfer(i, s.clientIndex(), s.args().get(0), s.args().get(1), true,
          totalSupply, rnd));
    }
    return new Workload(seed, clients, accounts, steps, setup, mint);
  }

  /** Balance minted into each double-spend account, spent whole by each step of its pair. */
  public static final long DOUBLE_SPEND_AMOUNT = 100;

  /**
   * {@link #generate} plus {@code pairs} double spends: for pair p, setup also mints {@value
   * #DOUBLE_SPEND_AMOUNT} into {@code <client>:ds<p>} (client p mod clients), and the main steps
   * get, at seeded positions, two transfers of that whole balance to two other accounts, both
   * signed by its owner and both carrying the read set {@code token/<client>:ds<p>} at the
   * version of that mint ({@link Step#readVersionOf()}). Nothing else touches the account, so
   * exactly one of each pair is VALID and the other MVCC_READ_CONFLICT (without the read set it
   * would be CONTRACT_REJECTED, an overdraft).
   *
   * @param transactions total steps including the pairs' 3 steps each (mint and two transfers)
   * @throws IllegalArgumentException as {@link #generate}, or for fewer than 2 accounts
   */
  public static Workload generateWithConflicts(long seed, List<ClientId> clients,
      int transactions, int pairs) {
    if (pairs < 0) {
      throw new IllegalArgumentException("pairs must be >= 0, got " + pairs);
    }
    Workload base = generate(seed, clients, transactions - 3 * pairs);
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eedc0f1L);
    List<Step> setup = new ArrayList<>(base.setupSteps());
    List<String> accounts = new ArrayList<>(base.accounts);
    int baseSetup = setup.size();
    for (int p = 0; p < pairs; p++) {
      int c = p % clients.size();
      String acct = clients.get(c).value() + ":ds" + p;
      accounts.add(acct);
      setup.add(new Step(setup.size(), c, CONTRACT, "mint",
          List.of(acct, Long.toString(DOUBLE_SPEND_AMOUNT)), Kind.MINT, -1));
    }
    // main steps: the base's, shifted by the extra mints, with each pair inserted whole
    List<Step> main = new ArrayList<>();
    for (Step st : base.mainSteps()) {
      main.add(st.at(st.index() + pairs, i -> i + pairs));
    }
    for (int p = 0; p < pairs; p++) {
      int c = p % clients.size();
      String acct = clients.get(c).value() + ":ds" + p;
      int mint = baseSetup + p;
      int first = rnd.nextInt(base.accounts.size());
      int second = (first + 1 + rnd.nextInt(base.accounts.size() - 1)) % base.accounts.size();
      int at = rnd.nextInt(main.size() + 1);
      while (at > 0 && at < main.size() && main.get(at).kind() == Kind.REPLAY) {
        at--; // never split a transfer from its replay
      }
      for (int k : new int[] {second, first}) {
        main.add(at, new Step(-1, c, CONTRACT, "transfer", List.of(acct, base.accounts.get(k),
            Long.toString(DOUBLE_SPEND_AMOUNT)), Kind.DOUBLE_SPEND, -1, acct, mint));
      }
    }
    List<Step> steps = new ArrayList<>(setup);
    java.util.Map<Integer, Integer> moved = new java.util.HashMap<>();
    for (Step st : main) {
      if (st.kind() == Kind.REPLAY) {
        // its original sits right before it; keep the pointer on that step's new index
        steps.add(st.at(steps.size(), i -> moved.getOrDefault(i, i)));
      } else {
        if (st.index() >= 0) {
          moved.put(st.index(), steps.size());
        }
        steps.add(st.at(steps.size(), i -> i));
      }
    }
    return new Workload(seed, clients, accounts, steps, setup.size(), base.mintAmount);
  }

  private static Step transfer(int index, int client, String from, String to, boolean overdraft,
      long totalSupply, SplittableRandom rnd) {
    long amount = overdraft ? totalSupply + 1 + rnd.nextInt(1000) : 1 + rnd.nextInt(MAX_TRANSFER);
    return new Step(index, client, CONTRACT, "transfer", List.of(from, to, Long.toString(amount)),
        overdraft ? Kind.OVERDRAFT : Kind.TRANSFER, -1);
  }

  /** The owner of an account: the part before the first {@code ':'}. */
  public static String ownerOf(String account) {
    int colon = account.indexOf(':');
    return colon < 0 ? account : account.substring(0, colon);
  }

  /** The seed it was generated from. */
  public long seed() {
    return seed;
  }

  /** The signing clients, in client index order. */
  public List<ClientId> clients() {
    return clients;
  }

  /** Every account, in order: client 0's accounts, then client 1's …. */
  public List<String> accounts() {
    return accounts;
  }

  /** Every step, setup first. */
  public List<Step> steps() {
    return steps;
  }

  /** How many leading steps are setup mints, which must commit before the rest starts. */
  public int setupCount() {
    return setupCount;
  }

  /** The leading mint steps. */
  public List<Step> setupSteps() {
    return steps.subList(0, setupCount);
  }

  /** The transfer steps (transfers, overdrafts and the replay). */
  public List<Step> mainSteps() {
    return steps.subList(setupCount, steps.size());
  }

  /** Amount minted into each account, in token units. */
  public long mintAmount() {
    return mintAmount;
  }

  /** Sum of all mints: every overdraft moves more than this. */
  public long totalSupply() {
    return mintAmount * accounts.size();
  }

  /** How many steps are of {@code kind}. */
  public int count(Kind kind) {
    return (int) steps.stream().filter(s -> s.kind() == kind).count();
  }

  /** The one replay step. */
  public Step replay() {
    return steps.stream().filter(s -> s.kind() == Kind.REPLAY).findFirst().orElseThrow();
  }
}
