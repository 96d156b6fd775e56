package org.bftlab.core.ledger;

import java.util.List;
import org.bftlab.core.model.ClientId;

/**
 * The {@code token} contract: fungible balances. A balance is stored as a decimal string under
 * key = account name in the {@code token} namespace; an account never written has balance 0.
 * Amounts are positive longs written in decimal ({@code [1-9][0-9]*}, at most
 * {@link Long#MAX_VALUE}).
 *
 * <ul>
 *   <li>{@code mint(account, amount)} → VALID with the new balance; any known client may mint
 *       (a demonstration token); a balance past {@link Long#MAX_VALUE} is CONTRACT_REJECTED.
 *   <li>{@code transfer(from, to, amount)} → VALID {@code "<from>=<x>,<to>=<y>"} with both new
 *       balances. {@code from} must be owned by the caller: its name equals the caller's client id
 *       or starts with {@code <clientId>:}. Not the owner, {@code from == to}, and overdraft
 *       ({@code "insufficient funds: <from> has X, transfer needs Y"}) are CONTRACT_REJECTED.
 *   <li>{@code balance(account)} → VALID with the balance.
 * </ul>
 *
 * Account names are 1..256 characters; any other operation, argument count or amount is
 * MALFORMED.
 */
public final class TokenContract implements Contract {
  /** The contract name and namespace. */
  public static final String NAME = "token";

  private static final java.util.Map<String, Integer> ARITIES = Contract.arities(
      "mint", 2, "transfer", 3, "balance", 1);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ContractOutcome execute(StateView state, ClientId caller, String operation,
      List<String> args) {
    ContractOutcome shape = Contract.shapeProblem(NAME, ARITIES, operation, args);
    if (shape != null) {
      return shape;
    }
    for (int i = 0; i < (operation.equals("transfer") ? 2 : 1); i++) {
      String problem = Contract.keyProblem("account name", args.get(i));
      if (problem != null) {
        return ContractOutcome.malformed(problem);
      }
    }
    return switch (operation) {
      case "mint" -> mint(state, args.get(0), args.get(1));
      case "transfer" -> transfer(state, caller, args.get(0), args.get(1), args.get(2));
      default -> ContractOutcome.valid(Long.toString(balance(state, args.get(0))));
    };
  }

  /** True when {@code caller} owns {@code account}: equal to its id or prefixed by {@code id:}. */
  public static boolean owns(ClientId caller, String account) {
    return account.equals(caller.value()) || account.startsWith(caller.value() + ":");
  }

  private static ContractOutcome mint(StateView state, String account, String amountText) {
    long amount = parseAmount(amountText);
    if (amount < 0) {
      return badAmount(amountText);
    }
    long before = balance(state, account);
    if (before > Long.MAX_VALUE - amount) {
      return ContractOutcome.rejected("balance overflow: " + account + " has " + before
          + ", mint adds " + amount);
    }
    long after = before + amount;
    return ContractOutcome.valid(Long.toString(after),
        WriteSet.of(Write.put(NAME, account, Long.toString(after))));
  }

  private static ContractOutcome transfer(StateView state, ClientId caller, String from, String to,
      String amountText) {
    long amount = parseAmount(amountText);
    if (amount < 0) {
      return badAmount(amountText);
    }
    if (!owns(caller, from)) {
      return ContractOutcome.rejected("client " + caller + " does not own account " + from
          + " (an account is owned by the client of the same name or with prefix '" + caller
          + ":')");
    }
    if (from.equals(to)) {
      return ContractOutcome.rejected("cannot transfer from " + from + " to itself");
    }
    long fromBalance = balance(state, from);
    if (fromBalance < amount) {
      return ContractOutcome.rejected("insufficient funds: " + from + " has " + fromBalance
          + ", transfer needs " + amount);
    }
    long toBalance = balance(state, to);
    if (toBalance > Long.MAX_VALUE - amount) {
      return ContractOutcome.rejected("balance overflow: " + to + " has " + toBalance
          + ", transfer adds " + amount);
    }
    long fromAfter = fromBalance - amount;
    long toAfter = toBalance + amount;
    return ContractOutcome.valid(from + "=" + fromAfter + "," + to + "=" + toAfter,
        WriteSet.of(Write.put(NAME, from, Long.toString(fromAfter)),
            Write.put(NAME, to, Long.toString(toAfter))));
  }

  /** The balance of {@code account}; 0 when never written or not a number. */
  private static long balance(StateView state, String account) {
    return state.value(NAME, account).map(v -> {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return 0L;
      }
    }).orElse(0L);
  }

  /** The amount, or -1 when {@code text} is not a positive decimal long. */
  private static long parseAmount(String text) {
    if (!text.matches("[1-9][0-9]{0,18}")) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ContractOutcome badAmount(String text) {
    return ContractOutcome.malformed("amount must be a positive decimal integer at most "
        + Long.MAX_VALUE + ", got '" + text + "'");
  }
}
