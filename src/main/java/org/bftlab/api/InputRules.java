package org.bftlab.api;

import java.util.List;
import java.util.Optional;
import org.bftlab.core.msg.Request;

/**
 * Names the API refuses at the door: a control character (Unicode category Cc: U+0000–U+001F,
 * U+007F–U+009F) in a contract, an operation, a key or an account — anything that ends up in a
 * world-state key, a log line or a terminal. Only a {@code kv put} value may hold them (it is
 * data, never a name). Answered 400 {@code MALFORMED} naming the field and the character.
 */
public final class InputRules {
  private InputRules() {}

  /** The refusal for a transaction whose names hold a control character, if any. */
  public static Optional<ApiError> check(Request r) {
    Optional<ApiError> e = name("contract", r.contract());
    if (e.isEmpty()) {
      e = name("operation", r.operation());
    }
    List<String> args = r.args();
    boolean kvPut = "kv".equals(r.contract()) && "put".equals(r.operation());
    for (int i = 0; i < args.size() && e.isEmpty(); i++) {
      if (!(kvPut && i == 1)) {
        e = name("args[" + i + "]", args.get(i));
      }
    }
    return e;
  }

  /** The refusal for a path segment or name {@code value} holding a control character. */
  public static Optional<ApiError> name(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.getType(c) == Character.CONTROL) {
        return Optional.of(ApiError.malformed(field + " holds the control character U+"
            + String.format("%04X", (int) c) + " at index " + i
            + "; names, keys and accounts may not contain control characters"));
      }
    }
    return Optional.empty();
  }
}
