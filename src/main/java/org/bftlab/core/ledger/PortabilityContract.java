package org.bftlab.core.ledger;

import java.util.List;
import java.util.Optional;
import org.bftlab.core.model.ClientId;

/**
 * The {@code portability} contract: telecom operators (telcos) move a customer's phone number
 * from one to another without a central authority. One world-state entry per number, key = the
 * number, value {@code <state>|<holder>|<to>|<customerHash>} with state {@code ACTIVE} (to and
 * hash empty), {@code PORT_REQUESTED} or {@code PORT_APPROVED}. A telco is named by a client:
 * its name equals the client id or starts with {@code <clientId>:} ({@link TokenContract#owns}).
 * Only a SHA-256 hash of the customer's data is ever on chain.
 *
 * <ul>
 *   <li>{@code register(number, telco)} by telco → VALID {@code "<number> held by <telco>"};
 *       also a re-registration by the current holder of an ACTIVE number (it rewrites the entry,
 *       so a port request built on the earlier version is MVCC_READ_CONFLICT).
 *   <li>{@code request-port(number, toTelco, customerHash)} by toTelco → VALID, PORT_REQUESTED.
 *   <li>{@code approve-port(number)} by the holder → VALID, PORT_APPROVED.
 *   <li>{@code reject-port(number)} by the holder → VALID, back to ACTIVE with the holder.
 *   <li>{@code complete-port(number)} by the recipient of an approved port → VALID, ACTIVE with
 *       the recipient as holder.
 *   <li>{@code holder(number)} → VALID with the entry's value (read-only).
 * </ul>
 *
 * CONTRACT_REJECTED reasons, exactly: {@code "number N is not registered"}, {@code "number N is
 * held by T"} (register by another telco), {@code "number N has a port in flight to T"} (register
 * or a second request while one is in flight), {@code "number N is already held by T"} (request
 * to its own holder), {@code "client C is not telco T"} (caller does not own the telco it acts
 * as), {@code "only the holder T may approve|reject the port of N"}, {@code "only the recipient T
 * may complete the port of N"}, {@code "number N has no port requested"} (approve/reject without
 * one), {@code "the port of N is not approved (state S)"} (complete before approval). A number is
 * {@code \+?[0-9]{3,20}}, a telco {@code [A-Za-z0-9._:-]{1,128}}, a customer hash 64 lower-case
 * hex digits; anything else, another operation or argument count is MALFORMED.
 */
public final class PortabilityContract implements Contract {
  /** The contract name and namespace. */
  public static final String NAME = "portability";

  /** A number's state. */
  public enum State { ACTIVE, PORT_REQUESTED, PORT_APPROVED }

  /**
   * A number's entry.
   *
   * @param state its state
   * @param holder the telco that holds the number now
   * @param to the recipient of the port in flight; empty when ACTIVE
   * @param customerHash SHA-256 hex of the customer's data for the port in flight; empty when
   *     ACTIVE
   */
  public record Entry(State state, String holder, String to, String customerHash) {
    /** The world-state value. */
    public String encode() {
      return state + "|" + holder + "|" + to + "|" + customerHash;
    }

    /** The entry a world-state value encodes. */
    public static Entry decode(String value) {
      String[] p = value.split("\\|", -1);
      if (p.length != 4) {
        throw new IllegalArgumentException("not a portability entry: " + value);
      }
      return new Entry(State.valueOf(p[0]), p[1], p[2], p[3]);
    }

    static Entry active(String holder) {
      return new Entry(State.ACTIVE, holder, "", "");
    }
  }

  private static final java.util.Map<String, Integer> ARITIES = Contract.arities(
      "register", 2, "request-port", 3, "approve-port", 1, "reject-port", 1,
      "complete-port", 1, "holder", 1);

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
    String number = args.get(0);
    if (!number.matches("\\+?[0-9]{3,20}")) {
      return ContractOutcome.malformed("number must be 3..20 digits with an optional '+', got '"
          + number + "'");
    }
    int arity = args.size();
    if (arity >= 2 && !args.get(1).matches("[A-Za-z0-9._:-]{1,128}")) {
      return ContractOutcome.malformed("telco must be 1..128 characters of [A-Za-z0-9._:-], got '"
          + args.get(1) + "'");
    }
    if (arity == 3 && !args.get(2).matches("[0-9a-f]{64}")) {
      return ContractOutcome.malformed("customer hash must be a SHA-256 digest in 64 lower-case "
          + "hex digits (never the customer's data), got " + args.get(2).length() + " characters");
    }
    Optional<Entry> current = state.value(NAME, number).map(Entry::decode);
    return switch (operation) {
      case "register" -> register(caller, number, args.get(1), current);
      case "request-port" -> requestPort(caller, number, args.get(1), args.get(2), current);
      case "holder" -> current.map(e -> ContractOutcome.valid(e.encode()))
          .orElseGet(() -> notRegistered(number));
      default -> current.map(e -> decideOnPort(caller, operation, number, e))
          .orElseGet(() -> notRegistered(number));
    };
  }

  private static ContractOutcome register(ClientId caller, String number, String telco,
      Optional<Entry> current) {
    if (!TokenContract.owns(caller, telco)) {
      return notTelco(caller, telco);
    }
    if (current.isPresent()) {
      Entry e = current.get();
      if (e.state() != State.ACTIVE) {
        return inFlight(number, e);
      }
      if (!e.holder().equals(telco)) {
        return ContractOutcome.rejected("number " + number + " is held by " + e.holder());
      }
    }
    return write(number, Entry.active(telco), number + " held by " + telco);
  }

  private static ContractOutcome requestPort(ClientId caller, String number, String to,
      String customerHash, Optional<Entry> current) {
    if (!TokenContract.owns(caller, to)) {
      return notTelco(caller, to);
    }
    if (current.isEmpty()) {
      return notRegistered(number);
    }
    Entry e = current.get();
    if (e.state() != State.ACTIVE) {
      return inFlight(number, e);
    }
    if (e.holder().equals(to)) {
      return ContractOutcome.rejected("number " + number + " is already held by " + to);
    }
    return write(number, new Entry(State.PORT_REQUESTED, e.holder(), to, customerHash),
        number + " port requested from " + e.holder() + " to " + to);
  }

  private static ContractOutcome decideOnPort(ClientId caller, String operation, String number,
      Entry e) {
    if (operation.equals("complete-port")) {
      if (e.state() == State.ACTIVE || !TokenContract.owns(caller, e.to())) {
        return e.state() == State.ACTIVE
            ? ContractOutcome.rejected("number " + number + " has no port requested")
            : ContractOutcome.rejected("only the recipient " + e.to()
                + " may complete the port of " + number);
      }
      if (e.state() != State.PORT_APPROVED) {
        return ContractOutcome.rejected("the port of " + number + " is not approved (state "
            + e.state() + ")");
      }
      return write(number, Entry.active(e.to()), number + " held by " + e.to());
    }
    String verb = operation.equals("approve-port") ? "approve" : "reject";
    if (!TokenContract.owns(caller, e.holder())) {
      return ContractOutcome.rejected("only the holder " + e.holder() + " may " + verb
          + " the port of " + number);
    }
    if (e.state() != State.PORT_REQUESTED) {
      return ContractOutcome.rejected("number " + number + " has no port requested");
    }
    return verb.equals("approve")
        ? write(number, new Entry(State.PORT_APPROVED, e.holder(), e.to(), e.customerHash()),
            number + " port to " + e.to() + " approved")
        : write(number, Entry.active(e.holder()), number + " port to " + e.to() + " rejected");
  }

  private static ContractOutcome write(String number, Entry entry, String result) {
    return ContractOutcome.valid(result, WriteSet.of(Write.put(NAME, number, entry.encode())));
  }

  private static ContractOutcome notRegistered(String number) {
    return ContractOutcome.rejected("number " + number + " is not registered");
  }

  private static ContractOutcome inFlight(String number, Entry e) {
    return ContractOutcome.rejected("number " + number + " has a port in flight to " + e.to());
  }

  private static ContractOutcome notTelco(ClientId caller, String telco) {
    return ContractOutcome.rejected("client " + caller + " is not telco " + telco);
  }
}
