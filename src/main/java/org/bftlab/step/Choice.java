package org.bftlab.step;

import java.util.Locale;
import java.util.Set;

/**
 * One recorded intervention of the student, the unit of a schedule: a run is its seed plus its
 * choices, and replaying them from scratch gives the same run (the same trace, byte for byte).
 * Text form, one per line of a schedule file: {@code deliver 7}, {@code drop 7}, {@code dup 7},
 * {@code hold 7} (delay: it stays in flight, {@code step} passes it by), {@code tick}, {@code
 * timer node-1}, {@code crash node-0}, {@code restart node-0}, {@code amnesia node-1} (crash,
 * lose the journal, restart empty), {@code request primary|all|retry|node-2}, {@code byzantine
 * node-0 equivocate [node-3]} (also {@code silent}, {@code forge-signature}), {@code partition
 * node-0,node-1|node-2} (unnamed replicas form one more group), {@code heal}.
 *
 * @param verb one of {@link #VERBS}
 * @param arg the message id, the node, the request target, or empty for {@code tick}
 */
public record Choice(String verb, String arg) {
  /** The verbs a schedule may hold. */
  public static final Set<String> VERBS =
      Set.of("deliver", "drop", "dup", "hold", "tick", "timer", "crash", "restart", "amnesia",
          "request", "byzantine", "partition", "heal");

  public Choice {
    if (!VERBS.contains(verb)) {
      throw new IllegalArgumentException("unknown choice '" + verb + "': expected one of "
          + String.join(", ", new java.util.TreeSet<>(VERBS)));
    }
    arg = arg == null ? "" : arg.trim();
    boolean needsArg = !verb.equals("tick") && !verb.equals("heal");
    if (needsArg == arg.isEmpty()) {
      throw new IllegalArgumentException(needsArg ? "'" + verb + "' needs an argument"
          : "'" + verb + "' takes no argument, got '" + arg + "'");
    }
  }

  /** Parses the text form, e.g. {@code "deliver 7"}; throws IllegalArgumentException with why. */
  public static Choice parse(String line) {
    String[] p = line.trim().split("\\s+", 2);
    return new Choice(p[0].toLowerCase(Locale.ROOT), p.length > 1 ? p[1] : "");
  }

  /** The message id of a deliver / drop / dup. */
  public long messageId() {
    try {
      return Long.parseLong(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + verb + "' needs a message id, got '" + arg + "'");
    }
  }

  @Override
  public String toString() {
    return arg.isEmpty() ? verb : verb + " " + arg;
  }
}
