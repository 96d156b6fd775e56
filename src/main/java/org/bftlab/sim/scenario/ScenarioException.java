package org.bftlab.sim.scenario;

/**
 * A scenario file that cannot be used: its message names the file, the line (when known), the
 * field path (e.g. {@code faults.network[0].probability}) and what is wrong.
 */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final int line;

  /**
   * @param source the file name (or {@code <string>})
   * @param line 1-based line, or 0 when unknown
   * @param path the field path, or null
   * @param problem what is wrong
   */
  public ScenarioException(String source, int line, String path, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": "
        + (path == null || path.isEmpty() ? "" : "field '" + path + "': ") + problem);
    this.path = path;
    this.line = line;
  }

  /** The field path, e.g. {@code faults.network[0].probability}; null when not about a field. */
  public String path() {
    return path;
  }

  /** The 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }
}
