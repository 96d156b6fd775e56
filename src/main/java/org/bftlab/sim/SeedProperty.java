package org.bftlab.sim;

import java.util.Objects;

/**
 * Runs a property over a range of seeds, in order, stopping at the first failure with the
 * failing seed and a one-line replay command. With {@code -Dbftlab.seed=N} only seed N runs.
 *
 * <pre>
 * SeedProperty.forSeeds(0, 800, seed -&gt; {
 *   Verdict v = Simulation.nodes(4).seed(seed).faults(new RandomSchedule(true, 120).generate(seed, 4))
 *       .run().verdict();
 *   if (!v.passed()) throw new AssertionError(v.summary());
 * });
 * </pre>
 */
public final class SeedProperty {
  /** The system property that restricts a run to one seed. */
  public static final String SEED_PROPERTY = "bftlab.seed";

  /** A property of one seed; throws (any exception or error) when it does not hold. */
  @FunctionalInterface
  public interface Check {
    void check(long seed) throws Exception;
  }

  /**
   * The outcome of a seed range.
   *
   * @param from first seed (inclusive)
   * @param to last seed (exclusive)
   * @param seedsRun how many seeds ran
   */
  public record Summary(long from, long to, long seedsRun) {}

  private SeedProperty() {}

  /**
   * Runs {@code check} for every seed in [{@code from}, {@code to}).
   *
   * @throws AssertionError naming the failing seed and how to replay it
   */
  public static Summary forSeeds(long from, long to, Check check) {
    Objects.requireNonNull(check, "check");
    String only = System.getProperty(SEED_PROPERTY);
    if (only != null && !only.isBlank()) {
      long s = Long.parseLong(only.trim());
      runOne(s, check, replay(s));
      return new Summary(s, s + 1, 1);
    }
    String replayTemplate = null;
    for (long s = from; s < to; s++) {
      if (replayTemplate == null) {
        replayTemplate = replay(Long.MIN_VALUE);
      }
      runOne(s, check, replayTemplate.replace(Long.toString(Long.MIN_VALUE), Long.toString(s)));
    }
    return new Summary(from, to, Math.max(0, to - from));
  }

  private static void runOne(long seed, Check check, String replay) {
    try {
      check.check(seed);
    } catch (Throwable t) {
      AssertionError e = new AssertionError("property fails for seed " + seed + ": "
          + t.getMessage() + "\n  replay: " + replay, t);
      throw e;
    }
  }

  /** The replay command for the calling test method and {@code seed}. */
  static String replay(long seed) {
    StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !f.getClassName().equals(SeedProperty.class.getName()))
        .filter(f -> !f.getClassName().startsWith("java."))
        .findFirst().orElse(null));
    String test = caller == null ? "<TestClass>#<method>"
        : caller.getClassName().replaceAll("\\$.*", "") + "#" + caller.getMethodName()
            .replaceAll("^lambda\\$(.*)\\$\\d+$", "$1");
    return "mvn -o -q test -Dtest='" + test + "' -D" + SEED_PROPERTY + "=" + seed;
  }
}
