package org.bftlab.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bftlab.core.PlantedBug;

/**
 * The gate of {@code bftlab node --planted-bug NAME} (hidden, repeatable): a deliberate protocol
 * bug ({@link PlantedBug}) planted in a live node, for negative-control tests that show the
 * checkers catch it in a real cluster. Honoured only when the node's environment also has
 * {@value #ENV}{@code =1}, so neither a configuration file nor a copied command line alone can
 * switch one on; the node logs the bugs at WARN when it starts. Nothing generates the option or
 * the variable but a test's {@code ScenarioLab} run.
 */
public final class PlantedBugGate {
  /** The environment variable that must be {@code 1} for {@code --planted-bug} to be honoured. */
  public static final String ENV = "BFTLAB_TEST_PLANTED_BUGS";

  private PlantedBugGate() {}

  /**
   * The bugs {@code names} asks for.
   *
   * @param names {@code --planted-bug} values, {@link PlantedBug} names (e.g. {@code
   *     COMMIT_QUORUM_2F}); empty: none
   * @param env the process environment
   * @return the bugs, empty when {@code names} is
   * @throws IllegalArgumentException when a name is not a planted bug, or {@value #ENV} is not
   *     {@code 1} (the message says what to set)
   */
  public static Set<PlantedBug> parse(List<String> names, Map<String, String> env) {
    if (names == null || names.isEmpty()) {
      return Set.of();
    }
    if (!"1".equals(env.get(ENV))) {
      throw new IllegalArgumentException("--planted-bug " + names + " plants a deliberate "
          + "protocol bug for negative-control tests and is honoured only with " + ENV
          + "=1 in the environment; refused");
    }
    Set<PlantedBug> bugs = EnumSet.noneOf(PlantedBug.class);
    for (String n : names) {
      try {
        bugs.add(PlantedBug.valueOf(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--planted-bug " + n + ": not one of "
            + List.of(PlantedBug.values()));
      }
    }
    return Set.copyOf(bugs);
  }
}
