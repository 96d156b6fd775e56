package org.bftlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.bftlab.codec.Json;
import org.bftlab.sim.check.Verdict;
import org.bftlab.step.ReplicaView;
import org.bftlab.step.Stepper;

/**
 * {@code bftlab sim --schedule FILE}: replays a schedule saved by {@code bftlab step} — its seed
 * and the recorded choices — on the real cores (each replica's three components under one
 * {@code core.NodeRunner}, the driver the simulator and the stepper share), judges the trace with
 * the simulator's checkers and prints sim's verdict table and every replica's chain (height and
 * head), so the head can be compared with what the stepper showed. Exit 0 when safe and not
 * overdue on liveness, 1 otherwise, 2 for a file that is not a schedule or a choice that cannot
 * be replayed.
 */
final class ScheduleReplay {
  private ScheduleReplay() {}

  /** One replica's chain at the end of the replay. */
  record Chain(String node, boolean up, long height, String head) {}

  /** The JSON document of {@code --json}. */
  record Summary(String schedule, String name, long seed, int steps, boolean passed,
      String safety, String liveness, List<Chain> chains, Verdict checks) {}

  static int run(Path file, boolean json, PrintWriter out, PrintWriter err) {
    Stepper s;
    try {
      s = Stepper.load(file);
    } catch (IOException | IllegalArgumentException e) {
      err.println("sim: " + e.getMessage());
      err.flush();
      return 2;
    }
    Verdict v = s.verdict();
    var badges = s.badges();
    boolean holds = v.safe() && !badges.liveness().equals("NOT live");
    List<Chain> chains = s.replicas().stream()
        .map(r -> new Chain(r.node(), r.up(), r.height(), r.head())).toList();
    if (json) {
      try {
        out.println(Json.mapper().writeValueAsString(new Summary(file.toString(),
            s.config().name(), s.config().seed(), s.position(), holds, badges.safety(),
            badges.liveness(), chains, v)));
      } catch (JsonProcessingException e) {
        err.println("sim: " + e.getMessage());
        return 1;
      }
    } else {
      String verdict = badges.safety() + ", " + badges.liveness()
          + (badges.detail().isEmpty() ? "" : " (" + badges.detail() + ")");
      SimCommand.table(out, s.config().name() + ", " + s.position() + " recorded choices",
          file.toString(), List.of(new SimCommand.Row(s.config().seed(), verdict,
              v.faultModel(), v.faultyNodes(), v.crashRecovered(), holds, List.of(), v)), holds);
      for (ReplicaView r : s.replicas()) {
        out.printf("%-8s %s%n", r.node(), r.up() ? "height " + r.height() + " head " + r.head()
            : "crashed");
      }
    }
    out.flush();
    return holds ? 0 : 1;
  }
}
