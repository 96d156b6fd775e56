package org.bftlab.cli;

import java.time.Duration;
import java.util.Locale;

/** Parses command-line durations: {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}, or ISO-8601. */
final class DurationArg {
  private DurationArg() {}

  /**
   * @throws IllegalArgumentException naming {@code option} when {@code text} is not a duration
   */
  static Duration parse(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long v = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(v);
        case 'm' -> Duration.ofMinutes(v);
        case 'h' -> Duration.ofHours(v);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(option + " takes a duration such as 90s, 2m, 1h or 500ms, got \""
          + text + '"');
    }
  }
}
