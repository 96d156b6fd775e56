package org.bftlab.sim.check;

import java.util.List;

/**
 * One checker's result.
 *
 * @param name the check, e.g. {@code agreement-height}
 * @param status {@code pass}, {@code fail} or {@code skipped} (not judged: liveness beyond the fault model)
 * @param violations one sentence per violation (at most {@value #MAX_VIOLATIONS} kept)
 */
public record CheckResult(String name, String status, List<String> violations) {
  /** Violations kept per check. */
  public static final int MAX_VIOLATIONS = 20;

  public CheckResult {
    violations = List.copyOf(violations.subList(0, Math.min(violations.size(), MAX_VIOLATIONS)));
  }

  /** Pass when {@code violations} is empty, else fail. */
  public static CheckResult of(String name, List<String> violations) {
    return new CheckResult(name, violations.isEmpty() ? "pass" : "fail", violations);
  }

  /** Not judged, with the reason. */
  public static CheckResult skipped(String name, String why) {
    return new CheckResult(name, "skipped", List.of(why));
  }

  /** True unless the check failed. */
  public boolean ok() {
    return !"fail".equals(status);
  }
}
