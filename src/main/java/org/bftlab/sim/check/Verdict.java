package org.bftlab.sim.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.List;
import org.bftlab.codec.Json;

/**
 * The judgement of one run. JSON shape ({@link #toJson()}):
 *
 * <pre>
 * {"seed":7,"n":4,"f":1,"faultModel":"within","faultyNodes":["node-2"],
 *  "safe":true,"live":true,
 *  "checks":[{"name":"agreement-seqno","status":"pass","violations":[]}, …]}
 * </pre>
 *
 * @param seed the run's seed
 * @param n replicas
 * @param f tolerated faulty replicas
 * @param faultModel {@code within} when at most f nodes were crashed, storage-faulty or
 *     Byzantine, else {@code beyond}
 * @param faultyNodes those nodes
 * @param safe every safety check passed
 * @param live the liveness check passed (or was skipped beyond the fault model)
 * @param checks every check's result
 */
public record Verdict(long seed, int n, int f, String faultModel, List<String> faultyNodes,
    boolean safe, boolean live, List<CheckResult> checks) {
  public Verdict {
    faultyNodes = List.copyOf(faultyNodes);
    checks = List.copyOf(checks);
  }

  /** True when within the fault model. */
  public boolean within() {
    return "within".equals(faultModel);
  }

  /** True when safe and live. */
  public boolean passed() {
    return safe && live;
  }

  /** The result of check {@code name}. */
  public CheckResult check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no check " + name));
  }

  /** One-line summary of the failed checks, or {@code "all checks pass"}. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    for (CheckResult c : checks) {
      if (!c.ok()) {
        b.append(b.length() == 0 ? "" : "; ").append(c.name()).append(": ")
            .append(c.violations().isEmpty() ? "" : c.violations().get(0));
      }
    }
    return b.length() == 0 ? "all checks pass (" + faultModel + ")" : b + " (" + faultModel + ")";
  }

  /** The verdict as JSON. */
  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
