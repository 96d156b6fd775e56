package org.bftlab.sim.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.bftlab.codec.Json;

/**
 * The judgement of one run. JSON shape ({@link #toJson()}):
 *
 * <pre>
 * {"seed":7,"n":4,"f":1,"faultModel":"within","faultyNodes":["node-0"],
 *  "crashRecovered":["node-2"],"safe":true,"live":true,"liveness":"live","livenessNote":null,
 *  "checks":[{"name":"agreement-seqno","status":"pass","violations":[]}, …]}
 * </pre>
 *
 * When liveness was not judged (a run beyond the fault model) {@code "live"} is {@code null},
 * never {@code true}: {@code "liveness":"not-judged"} and {@code "livenessNote"} says why.
 *
 * @param seed the run's seed
 * @param n replicas
 * @param f tolerated faulty replicas
 * @param faultModel {@code within} when at most f nodes are faulty (Byzantine, storage-faulty,
 *     or crashed and never restarted), else {@code beyond}; see {@link FaultModel}
 * @param faultyNodes those nodes, sorted
 * @param crashRecovered correct nodes that crashed and restarted from an intact journal (they
 *     do not count toward f), sorted
 * @param safe every safety check passed
 * @param liveness {@link #LIVE}, {@link #NOT_LIVE} or {@link #NOT_JUDGED}
 * @param livenessNote why liveness was not judged, else null
 * @param checks every check's result
 */
@JsonPropertyOrder({"seed", "n", "f", "faultModel", "faultyNodes", "crashRecovered", "safe",
    "live", "liveness", "livenessNote", "checks"})
public record Verdict(long seed, int n, int f, String faultModel, List<String> faultyNodes,
    List<String> crashRecovered, boolean safe, String liveness, String livenessNote,
    List<CheckResult> checks) {
  /** Liveness judged and met. */
  public static final String LIVE = "live";
  /** Liveness judged and not met. */
  public static final String NOT_LIVE = "not-live";
  /** Liveness not judged ({@link #livenessNote()} says why). */
  public static final String NOT_JUDGED = "not-judged";

  public Verdict {
    faultyNodes = List.copyOf(faultyNodes);
    crashRecovered = List.copyOf(crashRecovered);
    checks = List.copyOf(checks);
    Objects.requireNonNull(liveness, "liveness");
    if (!List.of(LIVE, NOT_LIVE, NOT_JUDGED).contains(liveness)) {
      throw new IllegalArgumentException("liveness must be live, not-live or not-judged, got "
          + liveness);
    }
  }

  /** True when within the fault model. */
  public boolean within() {
    return "within".equals(faultModel);
  }

  /** True only when liveness was judged and met (false when not judged: see {@link #livenessJudged()}). */
  public boolean live() {
    return LIVE.equals(liveness);
  }

  /** True when the liveness check ran (the run is within the fault model). */
  public boolean livenessJudged() {
    return !NOT_JUDGED.equals(liveness);
  }

  /** JSON {@code "live"}: true or false when judged, null when not judged. */
  @JsonProperty(value = "live", access = JsonProperty.Access.READ_ONLY)
  Boolean liveOrNull() {
    return livenessJudged() ? live() : null;
  }

  /**
   * True when no check failed: safe, and live or liveness not judged. A test that needs
   * liveness must also assert {@link #live()}.
   */
  public boolean passed() {
    return safe && !NOT_LIVE.equals(liveness);
  }

  /**
   * The verdict in words: {@code safe, live}, {@code safe, NOT live}, {@code safe, liveness not
   * judged (beyond the fault model: 2 faulty > f = 1)}, and the same with {@code UNSAFE}. Never
   * says {@code live} when liveness was not judged; the nodes are in {@link #livenessNote()}.
   */
  public String headline() {
    return (safe ? "safe" : "UNSAFE") + ", " + switch (liveness) {
      case LIVE -> "live";
      case NOT_LIVE -> "NOT live";
      default -> "liveness not judged (" + (within() ? livenessNote
          : "beyond the fault model: " + faultyNodes.size() + " faulty > f = " + f) + ")";
    };
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
    String model = " (" + faultModel + (livenessJudged() ? "" : "; liveness not judged") + ")";
    return b.length() == 0 ? "all checks pass" + model : b + model;
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
